// The MAC a routed or vm port answers with: configured, else derived — never the
// interface's own, whose frames the host kernel's IP stack would also process.
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { routerMac, normalizeConfig, type PortConfig } from '../../src/controller/index.js';

function port(name: string, extra: Record<string, unknown>): PortConfig {
  const c = normalizeConfig({ version: 1, vrfs: { v: {} }, ports: { [name]: { mode: 'routed', vrf: 'v', addresses: ['192.0.2.1/24'], ...extra } } });
  return c.ports.find((p) => p.name === name)!;
}

describe('routerMac', () => {
  it('a configured MAC wins', () => {
    expect(routerMac(port('lo', { backend: 'af-packet', mac: '02:00:00:00:00:01' }))).toBe('02:00:00:00:00:01');
  });

  it('af-packet: a locally administered unicast MAC derived from the interface MAC, not that MAC, stable', () => {
    const own = readFileSync('/sys/class/net/lo/address', 'utf8').trim();
    const m = routerMac(port('lo', { backend: 'af-packet' }));
    expect(m).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    expect(m).not.toBe(own);
    expect(routerMac(port('lo', { backend: 'af-packet' }))).toBe(m);
    // derived from the interface's MAC, not its name: a TAP called lo gets another
    expect(routerMac(port('lo', { backend: 'tap' }))).not.toBe(m);
  });

  it('an interface that does not exist (yet): derived from the port name', () => {
    const a = routerMac(port('nosuch0', { backend: 'af-packet' }));
    expect(a).toMatch(/^02(:[0-9a-f]{2}){5}$/);
    expect(routerMac(port('nosuch0', { backend: 'tap' }))).toBe(a);
  });
});
