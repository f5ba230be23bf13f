// ARP/ND suppression (RFC 7432 §10, RFC 9161; src/vpn/evpn-suppress.ts,
// native/core/suppress.h): a remote MAC/IP advertisement binds its IP in the
// core, and the switch answers a local port's ARP request or neighbor
// solicitation for that IP itself, without sending it into the tunnels.  A
// real core with a memory VM port and a memory underlay, and two real
// speakers over loopback: `src` plays the reflector, originating the remote
// VTEP's type-3 (so that a request that is not suppressed floods into the
// tunnel) and its type-2 MAC/IP routes.
import { afterEach, describe, expect, it } from 'vitest';

import { until } from '../wait.js';
import { evpnSwitch, RT, VNI } from './evpn-fixture.js';

const VTEP1 = '198.51.100.1', VTEP2 = '198.51.100.2';
const VM_MAC = '02:aa:00:00:00:01';
const REMOTE_MAC = '02:ee:00:00:00:99', MOVED_MAC = '02:ee:00:00:00:98';
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

async function setup() {
  const x = await evpnSwitch(cleanup);
  x.src.originate('evpn', { type: 3, rd: `${VTEP1}:1`, ethernetTag: 0, originatorIp: VTEP1 }, { nextHop: VTEP1, extCommunities: [RT, 'encap:vxlan'], pmsiTunnel: { flags: 0, tunnelType: 6, label: VNI, tunnelId: VTEP1 } });
  await until('the remote VTEP in the flood list', () => x.dp.floodMembers('br0').some((m) => m.egress?.kind === 'tunnel'));
  return x;
}

const macRoute = (vtep: string, mac: string, ip: string | null) => ({ type: 2 as const, rd: `${vtep}:1`, esi: '0', ethernetTag: 0, mac, ip, labels: [VNI] });
const attrs = (vtep: string, seq = 0) => ({ nextHop: vtep, extCommunities: [RT, 'encap:vxlan', ...(seq ? [`mac-mobility:${seq}`] : [])] });
const macBuf = (m: string) => Buffer.from(m.split(':').map((h) => parseInt(h, 16)));
const ip4 = (s: string) => Buffer.from(s.split('.').map(Number));

/** An ARP request (RFC 826) from the VM for `tpa`, broadcast. */
function arpRequest(tpa: string): Buffer {
  return Buffer.concat([Buffer.alloc(6, 0xff), macBuf(VM_MAC), Buffer.from([0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1]), macBuf(VM_MAC), ip4('10.0.0.1'), Buffer.alloc(6), ip4(tpa)]);
}

/** A neighbor solicitation (RFC 4861 §4.3) from the VM (2001:db8::1) for 2001:db8::`last`, with its checksum. */
function solicitation(last: number): Buffer {
  const tgt = Buffer.from('20010db8000000000000000000000000', 'hex');
  tgt[15] = last;
  const src = Buffer.from('20010db8000000000000000000000001', 'hex');
  const dst = Buffer.from(`ff0200000000000000000001ff0000${last.toString(16).padStart(2, '0')}`, 'hex');
  const m = Buffer.concat([Buffer.from([135, 0, 0, 0, 0, 0, 0, 0]), tgt, Buffer.from([1, 1]), macBuf(VM_MAC)]);
  m.writeUInt16BE(icmp6Sum(src, dst, m), 2);
  const ip = Buffer.concat([Buffer.from([0x60, 0, 0, 0, 0, m.length, 58, 255]), src, dst]);
  return Buffer.concat([Buffer.from([0x33, 0x33, 0xff, 0, 0, last]), macBuf(VM_MAC), Buffer.from([0x86, 0xdd]), ip, m]);
}

function icmp6Sum(src: Buffer, dst: Buffer, m: Buffer): number {
  const b = Buffer.concat([src, dst, Buffer.from([0, 0, 0, m.length, 0, 0, 0, 58]), m, Buffer.alloc(m.length & 1)]);
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += b.readUInt16BE(i);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

describe('EVPN ARP/ND suppression', () => {
  it('RFC 7432 §10: a MAC/IP route lets the switch answer a local ARP request for its IP, not sent into the tunnel; another IP floods', async () => {
    const { dp, src, evpn } = await setup();
    src.originate('evpn', macRoute(VTEP1, REMOTE_MAC, '10.0.0.99'), attrs(VTEP1));
    await until('bound', () => dp.suppressList().length === 1);
    expect(dp.suppressList()).toEqual([{ bridge: 'br0', vlan: 10, ip: '10.0.0.99', mac: REMOTE_MAC }]);
    expect(evpn.list()[0]!.suppressed).toBe(1);
    const encap0 = dp.vtepStats()!.encap!;
    dp.memInject('vm', arpRequest('10.0.0.99'));
    dp.pollOnce();
    const r = dp.memPop('vm')!;
    expect(r).not.toBeNull();
    // the reply, as the remote host would send it: to the VM, from the remote MAC, op 2
    expect(r.subarray(0, 42).toString('hex')).toBe(Buffer.concat([macBuf(VM_MAC), macBuf(REMOTE_MAC), Buffer.from([0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 2]), macBuf(REMOTE_MAC), ip4('10.0.0.99'), macBuf(VM_MAC), ip4('10.0.0.1')]).toString('hex'));
    expect(dp.stats('vm').arp_nd_suppressed).toBe(1);
    expect(dp.vtepStats()!.encap).toBe(encap0); // not flooded into the tunnel
    // an address nobody advertised: flooded to the remote VTEP, no answer
    dp.memInject('vm', arpRequest('10.0.0.98'));
    dp.pollOnce();
    expect(dp.memPop('vm')).toBeNull();
    expect(dp.vtepStats()!.encap).toBe(encap0 + 1);
    expect(dp.stats('vm').arp_nd_suppressed).toBe(1);
  });

  it('RFC 9161: a neighbor solicitation for a remote IPv6 address gets a solicited, override advertisement from its MAC', async () => {
    const { dp, src } = await setup();
    src.originate('evpn', macRoute(VTEP1, REMOTE_MAC, '2001:db8::99'), attrs(VTEP1));
    await until('bound', () => dp.suppressList().some((e) => e.ip === '2001:db8::99'));
    const encap0 = dp.vtepStats()!.encap!;
    dp.memInject('vm', solicitation(0x99));
    dp.pollOnce();
    const r = dp.memPop('vm')!;
    expect(r.subarray(0, 14).toString('hex')).toBe(Buffer.concat([macBuf(VM_MAC), macBuf(REMOTE_MAC), Buffer.from([0x86, 0xdd])]).toString('hex'));
    const ip = r.subarray(14, 54), m = r.subarray(54, 86);
    expect(ip.subarray(8, 24).toString('hex')).toBe('20010db8000000000000000000000099'); // from the target
    expect(ip.subarray(24, 40).toString('hex')).toBe('20010db8000000000000000000000001'); // to the solicitor
    expect([ip[6], ip[7], m[0], m[4]]).toEqual([58, 255, 136, 0x60]);
    expect(m.subarray(24, 32).toString('hex')).toBe(`0201${REMOTE_MAC.replaceAll(':', '')}`);
    expect(icmp6Sum(ip.subarray(8, 24), ip.subarray(24, 40), Buffer.from(m))).toBe(0);
    expect(dp.stats('vm').arp_nd_suppressed).toBe(1);
    expect(dp.vtepStats()!.encap).toBe(encap0);
  });

  it('the most recent advertisement of an IP is answered; its withdrawal falls back to the one before; the last one gone unbinds it', async () => {
    const { dp, src } = await setup();
    const bound = () => dp.suppressList().find((e) => e.ip === '10.0.0.99')?.mac;
    src.originate('evpn', macRoute(VTEP1, REMOTE_MAC, '10.0.0.99'), attrs(VTEP1));
    await until('bound to the first MAC', () => bound() === REMOTE_MAC);
    src.originate('evpn', macRoute(VTEP2, MOVED_MAC, '10.0.0.99'), attrs(VTEP2));
    await until('bound to the newer advertisement', () => bound() === MOVED_MAC);
    src.withdraw('evpn', macRoute(VTEP2, MOVED_MAC, '10.0.0.99'));
    await until('back to the first', () => bound() === REMOTE_MAC);
    src.withdraw('evpn', macRoute(VTEP1, REMOTE_MAC, '10.0.0.99'));
    await until('unbound', () => bound() === undefined);
    // a MAC-only route binds nothing
    src.originate('evpn', macRoute(VTEP1, REMOTE_MAC, null), attrs(VTEP1));
    await until('the MAC installed', () => dp.fdb({ bridge: 'br0' }).some((e) => e.mac === REMOTE_MAC));
    expect(dp.suppressList()).toEqual([]);
  });

  it('stopping the instance removes its bindings', async () => {
    const { dp, src, evpn } = await setup();
    src.originate('evpn', macRoute(VTEP1, REMOTE_MAC, '10.0.0.99'), attrs(VTEP1));
    src.originate('evpn', macRoute(VTEP1, REMOTE_MAC, '2001:db8::99'), attrs(VTEP1));
    await until('both bound', () => dp.suppressList().length === 2);
    evpn.apply([]);
    expect(dp.suppressList()).toEqual([]);
  });
});
