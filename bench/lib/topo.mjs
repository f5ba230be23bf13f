// The benchmark topology: three network namespaces per measurement, named
// uniquely per run (`<run>-src`, `<run>-sw`, `<run>-dst`), built fresh for every
// device and every repetition and deleted afterwards.
//
//   src [eth0 198.18.0.1] ==veth== [sw0]  sw: device under test  [sw1] ==veth== [eth0 198.18.0.2] dst
//
// `l3`: a routed scenario (bench/lib/l3.mjs): the hosts are on two subnets,
// 198.18.1.0/24 and 198.18.2.0/24, with a default route via the device, which
// routes between them.
//
// `link: 'tap'`: the device under test creates TAP devices tap0/tap1 in `sw`
// (as it would for VMs) and the harness moves their kernel side into src/dst,
// where they play the VM's interface.  `vlan: V`: the hosts talk over eth0.V
// and the switch ports are trunks.
//
// Addresses are in 198.18.0.0/15 (RFC 2544 benchmarking) and exist only in
// these namespaces.  IPv6 is off in all three (no background chatter in the
// counters); forwarding is off in the hosts, so the sink drops the generator's
// frames (addressed to its MAC, to an IP it does not own) in routing without
// answering.  br_netfilter is built into some kernels and on in every new
// namespace: the switch namespace turns bridge-nf-call-* off.
import { L3 } from './l3.mjs';
import { ipBatch, netDev, nsRun, run, sleep, start, stop } from './sys.mjs';

export const SRC_IP = (vlan) => `198.18.${vlan || 0}.1`;
export const DST_IP = (vlan) => `198.18.${vlan || 0}.2`;
export const SINK_IP = (vlan) => `198.18.${vlan || 0}.99`; // on the sink's subnet, owned by nobody
/** The vxlan scenario's underlay: hypervisor A's and B's VTEP addresses on ul0. */
export const UNDERLAY = { a: '198.18.254.1', b: '198.18.254.2', plen: 24, mtu: 1600, dev: 'ul0' };

export class Topology {
  /** @param prefix unique per run; @param link 'veth' | 'tap'; @param vlan 0 or the VLAN the hosts use;
   * @param l3 routed scenario; @param vxlan {vni}: two hypervisors joined by an underlay;
   * @param twoHv two hypervisors joined by a plain L2 link (the vxlan scenario without the tunnel);
   * @param vpn {encap}: two PEs joined by the underlay (its addresses are the PE addresses) */
  constructor(prefix, { link, vlan, l3, vxlan, twoHv, vpn, rpsCpu }) {
    this.src = `${prefix}-src`;
    this.sw = `${prefix}-sw`;
    this.dst = `${prefix}-dst`;
    this.vxlan = vxlan ?? null;
    this.vpn = vpn ?? null;
    // one PE of the vpn scenario on its own (vpn.half 'encap' | 'decap'): one switch namespace, the
    // other PE's side of the underlay is a host namespace (createHalf)
    this.half = vpn?.half ?? null;
    this.underlayIp = !!(vxlan || vpn); // the underlay veth carries the VTEP / PE addresses
    this.twoHv = !!(vxlan || (vpn && !this.half) || twoHv);
    // the switch namespaces: one, or the two hypervisors (A encapsulates, B decapsulates)
    this.hv = this.twoHv ? [this.sw, `${prefix}-sw2`] : [this.sw];
    if (this.twoHv && link !== 'veth') throw new Error('two hypervisors: veth links only');
    this.link = link;
    this.vlan = vlan || 0;
    this.l3 = !!l3;
    this.rpsCpu = rpsCpu ?? null;
    // the hosts' addresses: what ping and iperf3 use (and the generator's source)
    this.ip = this.l3 ? { src: L3.src.host, dst: L3.dst.host } : { src: SRC_IP(this.vlan), dst: DST_IP(this.vlan) };
    // switch-side port names, and the host-side interface the generator and the sink counters use
    this.ports = link === 'tap' ? ['tap0', 'tap1'] : ['sw0', 'sw1'];
    this.hostIf = link === 'tap' ? { src: 'tap0', dst: 'tap1' } : { src: 'eth0', dst: 'eth0' };
    if (this.half === 'encap') {
      this.ports = ['sw0', UNDERLAY.dev];
      this.hostIf = { src: 'eth0', dst: UNDERLAY.dev };
    } else if (this.half === 'decap') this.ports = [UNDERLAY.dev, 'sw1'];
    this.anchors = {};
  }

  /** Namespaces, sysctls, anchor processes and (veth) the links. */
  async create() {
    for (const ns of this.namespaces()) {
      run('ip', ['netns', 'add', ns]);
      ipBatch(['link set lo up'], ns);
      nsRun(ns, 'sysctl', ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    }
    for (const k of ['call-iptables', 'call-ip6tables', 'call-arptables'])
      for (const ns of this.hv) nsRun(ns, 'sysctl', ['-qw', `net.bridge.bridge-nf-${k}=0`], { allowFail: true });
    for (const h of ['src', 'dst']) {
      // an idle process per host namespace: its /proc/<pid>/net/dev is that namespace's counters
      this.anchors[h] = start('ip', ['netns', 'exec', this[h], 'sleep', 'infinity']);
    }
    if (this.twoHv) this.createHypervisors();
    else if (this.half) this.createHalf();
    else if (this.link === 'veth') {
      ipBatch([
        `link add sw0 type veth peer name eth0 netns ${this.src}`,
        `link add sw1 type veth peer name eth0 netns ${this.dst}`,
        'link set sw0 up',
        'link set sw1 up',
      ], this.sw);
    }
    if (this.link === 'veth') {
      if (this.rpsCpu !== null) {
        // --rps-cpu: every frame the hosts send into the switch is queued on one
        // CPU.  Without it veth queues a frame on the CPU that sent it, and a TCP
        // sender transmits from two CPUs (the application's, and the softirq
        // where the ACKs arrive: a userspace switch delivers them from its own
        // CPU), so two backlogs hand the segments to the switch out of order.
        const mask = (1n << BigInt(this.rpsCpu)).toString(16);
        for (const p of ['sw0', 'sw1'])
          nsRun(this.portNs(p), 'sh', ['-c', `echo ${mask} > /sys/class/net/${p}/queues/rx-0/rps_cpus`]);
      }
    }
    await sleep(50);
  }

  namespaces() {
    return [this.src, ...this.hv, this.dst];
  }

  /** The namespace a switch-side port is in (vxlan: sw0 in A, sw1 in B). */
  portNs(port) {
    return this.twoHv && port === 'sw1' ? this.hv[1] : this.sw;
  }

  /** Two hypervisors: the host links (sw0 in A, sw1 in B) and the underlay veth between A and B, with the VTEP
   * or PE addresses (vxlan, vpn; without a tunnel the link is a plain L2 link between the two switches, no address). */
  createHypervisors() {
    const [a, b] = this.hv;
    const { dev, mtu, plen } = UNDERLAY;
    ipBatch([
      `link add sw0 type veth peer name eth0 netns ${this.src}`,
      `link add ${dev} mtu ${mtu} type veth peer name ${dev} mtu ${mtu} netns ${b}`,
      'link set sw0 up', `link set ${dev} up`, ...(this.underlayIp ? [`addr add ${UNDERLAY.a}/${plen} dev ${dev}`] : []),
    ], a);
    ipBatch([
      `link add sw1 type veth peer name eth0 netns ${this.dst}`,
      'link set sw1 up', `link set ${dev} up`, ...(this.underlayIp ? [`addr add ${UNDERLAY.b}/${plen} dev ${dev}`] : []),
    ], b);
  }

  /** One PE on its own (vpn-encap, vpn-decap): the switch namespace is that PE, and the other PE's end of the
   * underlay is a host namespace with its PE address.
   *   encap:  src eth0 == sw0 [PE A  ul0 198.18.254.1] == ul0 198.18.254.2 dst (PE B's stand-in: udpsink, BGP)
   *   decap:  src eth0 198.18.254.1 (PE A's stand-in: generator of MPLS-in-UDP, BGP) == ul0 198.18.254.2 [PE B  sw1] == eth0 dst */
  createHalf() {
    const { dev, mtu, plen } = UNDERLAY;
    if (this.half === 'encap') {
      ipBatch([
        `link add sw0 type veth peer name eth0 netns ${this.src}`,
        `link add ${dev} mtu ${mtu} type veth peer name ${dev} mtu ${mtu} netns ${this.dst}`,
        'link set sw0 up', `link set ${dev} up`, `addr add ${UNDERLAY.a}/${plen} dev ${dev}`,
      ], this.sw);
      ipBatch([`link set ${dev} up`, `addr add ${UNDERLAY.b}/${plen} dev ${dev}`], this.dst); // before the device starts: its BGP peer
    } else {
      ipBatch([
        `link add ${dev} mtu ${mtu} type veth peer name eth0 mtu ${mtu} netns ${this.src}`,
        `link add sw1 type veth peer name eth0 netns ${this.dst}`,
        `link set ${dev} up`, 'link set sw1 up', `addr add ${UNDERLAY.b}/${plen} dev ${dev}`,
      ], this.sw);
      ipBatch(['link set eth0 up', `addr add ${UNDERLAY.a}/${plen} dev eth0`], this.src);
      // vpn.gro: B's underlay receives as a NIC does, through NAPI with GRO, so that a run of one flow's
      // datagrams reaches B's UDP_GRO socket whole, as A's UDP GSO runs do in `vpn`.  On veth that takes three
      // settings (all measured, docs/bench-vpn.md "Each PE on its own"):
      // - GRO on B's ul0: veth then has a NAPI instance and can receive through it;
      // - TSO off on the stand-in's eth0: veth hands an skb to NAPI only if the sending device has no TSO or
      //   the skb is a socket's (veth_skb_is_eligible_for_gro); trafgen's are AF_PACKET ring frames, so with
      //   veth's default TSO every datagram went the backlog way, past GRO;
      // - a GRO flush timeout with deferred "interrupts" on B's ul0 (20 µs, 2 polls): veth polls after every
      //   frame the sender queues, so each poll held one datagram and GRO had nothing to merge; the timeout is
      //   what a NIC's interrupt coalescing gives it: the datagrams of some microseconds in one poll.
      if (this.vpn.gro) {
        nsRun(this.sw, 'ethtool', ['-K', dev, 'gro', 'on']);
        nsRun(this.src, 'ethtool', ['-K', 'eth0', 'tso', 'off']);
        nsRun(this.sw, 'sh', ['-c', `echo 20000 > /sys/class/net/${dev}/gro_flush_timeout && echo 2 > /sys/class/net/${dev}/napi_defer_hard_irqs`]);
      }
    }
  }

  /** TAP variant: the DUT has created tap0/tap1 in sw; move their kernel side to the hosts. */
  async adoptTaps(timeoutMs = 15000) {
    const t0 = Date.now();
    for (;;) {
      const have = run('ip', ['-n', this.sw, '-o', 'link', 'show'], { allowFail: true }) ?? '';
      if (/\btap0[:@]/.test(have) && /\btap1[:@]/.test(have)) break;
      if (Date.now() - t0 > timeoutMs) throw new Error('the device under test did not create tap0/tap1');
      await sleep(100);
    }
    ipBatch([`link set tap0 netns ${this.src}`, `link set tap1 netns ${this.dst}`], this.sw);
  }

  /** Host interfaces up, addresses (on eth0.V for a VLAN), and the MACs.
   * Some kernels have neither VLAN devices (8021q) nor bridge VLAN filtering nor
   * act_vlan: then the hosts cannot terminate the VLAN, only the generator and
   * the sink's counters can use it (`ipPath` false: pps only, tagged frames). */
  configureHosts() {
    this.ipPath = true;
    for (const [h, ip] of [['src', SRC_IP(this.vlan)], ['dst', DST_IP(this.vlan)]]) {
      const dev = this.hostIf[h];
      ipBatch([`link set ${dev} up`], this[h]);
      // one PE on its own: the host on the underlay side is the other PE (its PE address from createHalf, no route)
      if (this.half && (this.half === 'encap' ? h === 'dst' : h === 'src')) continue;
      if (this.l3) {
        ipBatch([`addr add ${L3[h].host}/${L3.plen} dev ${dev}`, `route add default via ${L3[h].gw}`], this[h]);
        continue;
      }
      if (!this.vlan) {
        ipBatch([`addr add ${ip}/24 dev ${dev}`], this[h]);
        continue;
      }
      try {
        ipBatch([`link add link ${dev} name ${dev}.${this.vlan} type vlan id ${this.vlan}`], this[h]);
      } catch (e) {
        if (!/Unknown device type|not supported/i.test(e.message)) throw e;
        this.ipPath = false;
        this.noIpReason = 'this kernel has no 802.1Q VLAN devices (8021q), so the hosts cannot terminate the VLAN: ping and TCP not measured';
        continue;
      }
      ipBatch([`link set ${dev}.${this.vlan} up`, `addr add ${ip}/24 dev ${dev}.${this.vlan}`], this[h]);
    }
    this.srcMac = this.mac('src');
    this.dstMac = this.mac('dst');
  }

  mac(h) {
    const j = JSON.parse(run('ip', ['-n', this[h], '-j', 'link', 'show', 'dev', this.hostIf[h]]));
    return j[0].address;
  }

  /** Waits until the path through the DUT works and both host MACs are learned:
   * by ping, or (no IP path) by tagged frames each way from the generator,
   * watching the sink's counter. */
  async waitPath(gen, timeoutMs = 20000) {
    const t0 = Date.now();
    while (Date.now() - t0 < timeoutMs) {
      if (this.half) {
        // one PE: no host-to-host path.  The generator's host pings what its frames go to (encap: PE A's
        // gateway address, answered by the switch; decap: PE B's underlay address, answered by B's kernel),
        // and the sink host PE B's gateway (decap: B resolves the sink, as the first frames would make it)
        const to = this.half === 'encap' ? L3.src.gw : UNDERLAY.b;
        if (nsRun(this.src, 'ping', ['-c', '1', '-W', '1', to], { allowFail: true }) !== null
          && (this.half === 'encap' || nsRun(this.dst, 'ping', ['-c', '1', '-W', '1', L3.dst.gw], { allowFail: true }) !== null)) {
          this.gwMac = this.neighMac('src', to);
          return (Date.now() - t0) / 1000;
        }
      } else if (this.ipPath) {
        if (nsRun(this.src, 'ping', ['-c', '1', '-W', '1', this.ip.dst], { allowFail: true }) !== null) {
          nsRun(this.dst, 'ping', ['-c', '1', '-W', '1', this.ip.src], { allowFail: true });
          if (this.l3) this.gwMac = this.neighMac('src', L3.src.gw);
          return (Date.now() - t0) / 1000;
        }
      } else {
        const burst = (from, to, fromMac, toMac) => nsRun(this[from], gen, ['-i', this.hostIf[from], '-s', fromMac,
          '-d', toMac, '-v', String(this.vlan), '-r', '200', '-t', '0.05'], { allowFail: true });
        burst('dst', 'src', this.dstMac, this.srcMac); // the sink's MAC, learned in the VLAN
        const before = this.counters().dst.rx_packets;
        burst('src', 'dst', this.srcMac, this.dstMac);
        await sleep(100);
        if (this.counters().dst.rx_packets > before) return (Date.now() - t0) / 1000;
      }
      await sleep(200);
    }
    throw new Error(`no path from src to dst through the device after ${timeoutMs / 1000}s`);
  }

  /** The MAC a host has resolved for an address (the router's, in a routed scenario). */
  neighMac(h, ip) {
    const j = JSON.parse(run('ip', ['-n', this[h], '-j', 'neigh', 'show', ip, 'dev', this.hostIf[h]]));
    if (!j[0]?.lladdr) throw new Error(`${h} has no neighbor entry for ${ip}`);
    return j[0].lladdr;
  }

  /** Counters of the generator's interface (src) and the sink's (dst). */
  /** `sinkCounter` (set by a device, vpn-encap): what the sink counts itself, in place of its interface's. */
  counters() {
    const dst = this.sinkCounter ? this.sinkCounter() : netDev(this.anchors.dst.pid)[this.hostIf.dst];
    return { src: netDev(this.anchors.src.pid)[this.hostIf.src], dst };
  }

  async destroy() {
    for (const a of Object.values(this.anchors)) await stop(a, 500);
    for (const ns of this.namespaces()) run('ip', ['netns', 'del', ns], { allowFail: true });
  }
}
