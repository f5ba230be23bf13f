// `hvswitch evpn es show` (src/cli/commands/evpn-es.ts): the table of local
// segments (one row per VNI with its DF), the remote segments with their
// aliasing sets, and the --json shape.
import { describe, expect, it } from 'vitest';

import type { EthernetSegment__Output } from '../../src/api/gen/hvswitch/v1/EthernetSegment.js';
import { renderSegments, segmentJson } from '../../src/cli/commands/evpn-es.js';

const ESI = '01:02:00:00:00:e5:01:00:07:00';
const none = { esiSource: '', partner: null, conflictEsi: '', conflictBond: '' };
const local: EthernetSegment__Output = {
  esi: ESI, local: true, bond: 'bond0', up: true, phase: 'elected', dfAlgorithm: 'modulo', vteps: ['192.0.2.11', '192.0.2.12'],
  df: [{ vni: 10010, vlan: 10, df: '192.0.2.11', local: true }, { vni: 10020, vlan: 20, df: '192.0.2.12', local: false }], elections: 2, vni: 0,
  ...none, esiSource: 'auto', partner: { system: '02:00:00:00:e5:01', key: 7 },
};
const remote: EthernetSegment__Output = { esi: ESI, local: false, bond: '', up: false, phase: '', dfAlgorithm: '', vteps: ['192.0.2.11', '192.0.2.12'], df: [], elections: 0, vni: 10010, ...none };

describe('evpn es show', () => {
  it('one row per VNI of a local segment, then the remote segments', () => {
    const out = renderSegments([local, remote]);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^ESI\s+ESI from\s+Bond\s+State\s+DF alg\s+PEs\s+VNI\s+VLAN\s+DF\s+Local DF$/);
    expect(lines[1]).toMatch(new RegExp(`^${ESI}\\s+auto from partner 02:00:00:00:e5:01,7\\s+bond0\\s+elected\\s+modulo\\s+192.0.2.11,192.0.2.12\\s+10010\\s+10\\s+192.0.2.11\\s+yes$`));
    expect(lines[2]).toMatch(/10020\s+20\s+192.0.2.12\s+no$/);
    expect(out).toMatch(new RegExp(`Remote ESI\\s+VNI\\s+Aliasing VTEPs\\n${ESI}\\s+10010\\s+192.0.2.11,192.0.2.12`));
    expect(renderSegments([{ ...local, up: false, df: [] }])).toMatch(/bond0\s+down\s+modulo/);
    expect(renderSegments([])).toBe('no local Ethernet segments\n');
  });
  it('ESI from: configured, auto-local, auto waiting for its partner, a refused partner', () => {
    const row = (s: EthernetSegment__Output) => renderSegments([s]).trim().split('\n')[1];
    expect(row({ ...local, esiSource: 'configured', partner: null })).toMatch(new RegExp(`^${ESI}\\s+configured\\s+bond0`));
    expect(row({ ...local, esiSource: 'auto-local', partner: null })).toMatch(new RegExp(`^${ESI}\\s+auto-local\\s+bond0`));
    const waiting = { ...local, esi: '', partner: null, phase: 'down', vteps: [], df: [] };
    expect(row(waiting)).toMatch(/^-\s+waiting for partner\s+bond0\s+down/);
    expect(segmentJson(waiting)).toMatchObject({ esi: '', esiSource: 'auto', derivation: 'waiting for partner', partner: null, conflict: null });
    expect(row({ ...local, conflictEsi: '01:aa', conflictBond: 'bond1' })).toContain("auto from partner 02:00:00:00:e5:01,7 (partner's 01:aa refused: bond bond1 has it)");
  });
  it('--json', () => {
    expect(segmentJson(local)).toEqual({
      esi: ESI, esiSource: 'auto', derivation: 'auto from partner 02:00:00:00:e5:01,7', partner: { system: '02:00:00:00:e5:01', key: 7 }, conflict: null, local: true, bond: 'bond0', up: true, phase: 'elected', dfAlgorithm: 'modulo', vteps: ['192.0.2.11', '192.0.2.12'],
      df: [{ vni: 10010, vlan: 10, df: '192.0.2.11', local: true }, { vni: 10020, vlan: 20, df: '192.0.2.12', local: false }], elections: 2, vni: 0,
    });
  });
});
