// Which configs open the PE's MPLS underlay port (src/controller/l3vpn.ts: mplsUnderlay,
// L3vpnControl.after): only a PE with a VRF that offers an MPLS encapsulation.  A VRF with EVPN
// type-5 alone sends VXLAN through the VTEP's port, so no raw GRE or UDP 6635 socket is opened.
import { afterEach, describe, expect, it } from 'vitest';

import { normalizeConfig } from '../../src/controller/index.js';
import { L3vpnControl, mplsUnderlay } from '../../src/controller/l3vpn.js';
import { Dataplane } from '../../src/dataplane/index.js';
import { createLogger } from '../../src/util/logger.js';
import type { L3vpnFib } from '../../src/vpn/l3vpn.js';

const BGP = { global: { as: 65000, 'router-id': '192.0.2.11' }, neighbors: [] };
const RT = { 'route-targets': ['65000:1'] };
const config = (vrfs: Record<string, unknown>, pe?: { address: string }) =>
  normalizeConfig({ bgp: BGP, vtep: { address: '192.0.2.11' }, ...(pe ? { pe } : {}), vrfs });

describe('the MPLS underlay port', () => {
  it('is wanted for a VRF with an MPLS encapsulation (alone, by default or beside vxlan), not for type-5 alone or no VPN', () => {
    const pe = { address: '192.0.2.11', af: 4, mtu: 1500 };
    expect(mplsUnderlay(config({ red: { vpn: { ...RT, 'l3-vni': 9100 } } }))).toBeNull(); // [vxlan]: the default with an L3 VNI
    expect(mplsUnderlay(config({ red: { vpn: { ...RT, 'l3-vni': 9100, encapsulations: ['vxlan'] } } }, { address: '192.0.2.11' }))).toBeNull();
    expect(mplsUnderlay(config({ red: {} }))).toBeNull();
    expect(mplsUnderlay(config({ red: { vpn: RT } }))).toEqual(pe); // [mpls-udp, mpls-gre]
    expect(mplsUnderlay(config({ red: { vpn: { ...RT, 'l3-vni': 9100, encapsulations: ['vxlan', 'mpls-gre'] } } }))).toEqual(pe);
    expect(mplsUnderlay(config({ red: { vpn: { ...RT, 'l3-vni': 9100 } }, blue: { vpn: { 'route-targets': ['65000:2'], encapsulations: ['mpls-udp'] } } }))).toEqual(pe);
  });

  describe('L3vpnControl', () => {
    let dp: Dataplane;
    afterEach(() => dp.close());

    it('type-5 only: the PE is kept and no port is opened; an MPLS VRF added: it opens one on the PE address', () => {
      dp = new Dataplane({ workers: 1, agingSeconds: 300 });
      // no BGP speaker here: the manager is not started, so the FIB is not used
      const ctl = new L3vpnControl(dp, async (fn) => fn(), {} as L3vpnFib, createLogger('silent'));
      const type5 = config({ red: { vpn: { ...RT, 'l3-vni': 9100 } } });
      expect(type5.pe).not.toBeNull();
      ctl.after(type5, null);
      expect(dp.mpls.pe()).toBeNull();
      // 192.0.2.11 is none of this host's addresses: the sockets cannot bind, which shows they are opened now
      const both = config({ red: { vpn: { ...RT, 'l3-vni': 9100 } }, blue: { vpn: { 'route-targets': ['65000:2'], encapsulations: ['mpls-udp'] } } });
      ctl.before(type5, both);
      expect(() => ctl.after(both, null)).toThrow(/^pe\.address: 192\.0\.2\.11 cannot be used/);
      expect(dp.mpls.pe()).toBeNull();
    });
  });
});
