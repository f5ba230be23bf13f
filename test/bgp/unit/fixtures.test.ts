/**
 * Round-trips of real UPDATEs captured from gobgpd 3.10 and FRR 8.4 during the
 * interop suite (test/fixtures/bgp/*.json, provenance inside; regenerate with
 * `BGP_FIXTURES_REGEN=1 npx vitest run --project netns test/bgp/interop`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { roundTrip } from '../fixture-check.js';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'bgp');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('captured UPDATEs from real peers', () => {
  it('fixtures exist for gobgpd, FRR and BIRD', () => {
    expect(files).toEqual(expect.arrayContaining(['frr-8.4-rr.json', 'frr-8.4-ipv6-enhe.json', 'gobgpd-3.10-rr.json', 'gobgpd-3.10-rtc.json', 'bird-2.0-rr.json']));
  });
  for (const f of files) {
    const fx = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { provenance: string; messages: Array<{ kind: string; hex: string }> };
    for (const [i, m] of fx.messages.entries()) {
      it(`${f} #${i} (${m.kind}) decodes clean and re-encodes to the same attributes and NLRI`, () => {
        const r = roundTrip(m.hex);
        expect(r.decoded.error).toBeUndefined();
        expect(r.again).toEqual(r.original);
        const fam = r.decoded.mpReach?.family ?? r.decoded.mpUnreach?.family ?? 'ipv4';
        expect(m.kind.startsWith(`${fam}/`)).toBe(true);
      });
    }
  }
  it('gobgpd EVPN MAC/IP: VNI as a plain 24-bit label, router MAC and encapsulation communities', () => {
    const fx = JSON.parse(readFileSync(join(dir, 'gobgpd-3.10-rr.json'), 'utf8')) as { messages: Array<{ kind: string; hex: string }> };
    const evpn = fx.messages.filter((m) => m.kind === 'evpn/announce').map((m) => roundTrip(m.hex).decoded);
    const macip = evpn.flatMap((u) => u.mpReach!.nlri).find((n) => (n.route as { type: number }).type === 2);
    expect(macip?.route).toMatchObject({ labels: [10100, 50000] });
    const withRmac = evpn.find((u) => u.attrs.extCommunities?.some((c) => c.startsWith('router-mac:')));
    expect(withRmac?.attrs.extCommunities).toEqual(expect.arrayContaining(['encap:vxlan']));
  });
  it('RFC 8950 FRR over IPv6: IPv4 unicast NLRI in MP_REACH_NLRI with an IPv6 next hop', () => {
    const fx = JSON.parse(readFileSync(join(dir, 'frr-8.4-ipv6-enhe.json'), 'utf8')) as { messages: Array<{ kind: string; hex: string }> };
    const u = fx.messages.filter((m) => m.kind === 'ipv4/announce').map((m) => roundTrip(m.hex).decoded).find((d) => d.mpReach);
    expect(u?.mpReach?.family).toBe('ipv4');
    expect(u?.mpReach?.nextHop.nextHop).toMatch(/^fd00:254:/);
    expect(u?.mpReach?.nlri).toContainEqual({ route: { prefix: '10.85.0.0/24' } });
  });
  it('FRR VPNv4 from a network statement: RD 65000:20, label 400', () => {
    const fx = JSON.parse(readFileSync(join(dir, 'frr-8.4-rr.json'), 'utf8')) as { messages: Array<{ kind: string; hex: string }> };
    const routes = fx.messages.filter((m) => m.kind === 'vpnv4/announce').flatMap((m) => roundTrip(m.hex).decoded.mpReach!.nlri.map((n) => n.route));
    expect(routes).toContainEqual({ rd: '65000:20', prefix: '10.81.0.0/24', label: 400 });
  });
});
