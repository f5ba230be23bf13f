// Scenarios: one table row per forwarding case.  A row gives the topology
// (`link`: veth pairs with AF_PACKET ports, or TAP devices the switch creates),
// the traffic (`frames`: 64 | imix, `macs`: source MACs the generator cycles
// through, `vlan`: the tag the hosts use) and the tests run in it.
//
// Every scenario runs the same tests on the same topology for every device:
//   pps  generator flat out for the window; offered (generator interface) and
//        delivered (sink interface) frames/s; CPU of the DUT and of the machine
//   lat  ping, idle path: median and p99 (nearest rank)
//   tcp  iperf3, one stream, default offloads
//   lat-load, tcp-nooff, idle  ping beside a paced 64 B stream, TCP with offloads
//        off, CPU of the device with no traffic (bench/lib/polling.mjs)
//
// A scenario whose forwarding mode hvswitch does not have yet is listed with
// `planned`: the harness reports it as not run, with that reason, instead of
// leaving it out.  To add one: give it a topology and traffic here, teach the
// topology/devices any new wiring (e.g. a VTEP in the sink namespace), and drop
// `planned`.  `vxlan: {vni}`: two hypervisors (bench/lib/topo.mjs); `twoHv`: the
// same two hypervisors joined by a plain L2 link (no tunnel); `vpn: {encap}`:
// the routed scenario across two PEs over an MPLS tunnel (bench/lib/vpn.mjs); a device
// that cannot run a scenario says why in its `supports` (bench/lib/duts.mjs).
export const SCENARIOS = [
  {
    name: 'access-64',
    title: 'L2 access, 64 B frames, veth + AF_PACKET ports',
    link: 'veth', frames: '64', macs: 1, vlan: 0,
    tests: ['pps', 'lat', 'lat-load', 'tcp', 'tcp-nooff', 'idle'],
  },
  {
    name: 'access-imix',
    title: 'L2 access, IMIX 7:4:1 (64/594/1518 B), veth + AF_PACKET ports',
    link: 'veth', frames: 'imix', macs: 1, vlan: 0,
    tests: ['pps', 'lat', 'lat-load', 'tcp', 'tcp-nooff', 'idle'],
  },
  {
    name: 'access-tap-64',
    title: 'L2 access, 64 B frames, TAP ports created by the switch',
    link: 'tap', frames: '64', macs: 1, vlan: 0,
    tests: ['pps', 'lat', 'lat-load', 'tcp', 'tcp-nooff', 'idle'],
    note: 'The Linux bridge has no process to hold a TAP: its figures here are on veth (the reference).',
  },
  {
    name: 'trunk-64',
    title: 'VLAN trunk (VLAN 10 of 10,20), 64 B tagged frames, veth + AF_PACKET ports',
    link: 'veth', frames: '64', macs: 1, vlan: 10, trunkVlans: [10, 20],
    tests: ['pps', 'lat', 'lat-load', 'tcp', 'tcp-nooff', 'idle'],
    note: 'hvswitch and OVS run trunk ports (allowed VLANs 10,20); the Linux bridge has no VLAN filtering and forwards the tagged frames blindly.',
  },
  {
    name: 'many-macs',
    title: 'L2 access, 64 B frames from 100k source MACs, veth + AF_PACKET ports',
    link: 'veth', frames: '64', macs: 100000, vlan: 0,
    tests: ['pps', 'lat', 'lat-load', 'tcp', 'tcp-nooff', 'idle'],
    note: 'MAC tables sized for 200k entries on every device; lat and tcp run right after pps, with the 100k MACs still in the table.',
  },
  {
    name: 'vxlan',
    title: 'VXLAN across two hypervisors (VNI 10010): every frame encapsulated by A, decapsulated by B, 64 B frames, veth + AF_PACKET ports',
    link: 'veth', frames: '64', macs: 1, vlan: 0, vxlan: { vni: 10010 },
    tests: ['pps', 'lat', 'lat-load', 'tcp', 'tcp-nooff', 'idle'],
    note: 'Two hypervisor namespaces joined by an underlay veth (MTU 1600). hvswitch: one hvswitchd per hypervisor, both pinned to the DUT CPU, '
      + 'remote MACs from EVPN type-2 routes over a direct iBGP session; DUT CPU is the two processes summed. '
      + 'Linux: a bridge + kernel VXLAN device per hypervisor, all in softirq on the sending CPU. '
      + 'OVS: one per hypervisor (native tunnelling, br-int + br-phy), both pinned to the DUT CPU; OVS 3.1 drops frames with offload flags '
      + 'at the tunnel ("Tunneling packets with HW offload flags is not supported"), so TCP with default offloads does not connect.',
  },
  {
    name: 'l2-2hv',
    title: 'Plain L2 across two hypervisors (no tunnel), 64 B frames, veth + AF_PACKET ports: the vxlan scenario without encap/decap',
    link: 'veth', frames: '64', macs: 1, vlan: 0, twoHv: true,
    tests: ['pps', 'lat', 'tcp'],
    note: 'The vxlan topology with the underlay veth as a plain L2 link: each hypervisor bridges its host port and the link (access, VLAN 1). '
      + 'hvswitch: one hvswitchd per hypervisor, both pinned to the DUT CPU (DUT CPU summed); Linux: a bridge per hypervisor; OVS: one per hypervisor. '
      + 'The reference for what encapsulation and decapsulation cost: vxlan delivered / l2-2hv delivered, per device.',
  },
  {
    name: 'routed',
    title: 'Routed forwarding between two routed ports of a VRF (one route), 64 B frames, veth + AF_PACKET ports',
    link: 'veth', frames: '64', macs: 1, vlan: 0, l3: { routes: 1 },
    tests: ['pps', 'lat', 'lat-load', 'tcp', 'tcp-nooff', 'idle'],
    note: 'The Linux reference is the kernel forwarding IPv4 in the switch namespace (no bridge); OVS runs OpenFlow router rules (ARP responder, MAC rewrite, dec_ttl). Frames go to 198.19.0.99 via the sink; ping and TCP to the sink host.',
  },
  {
    name: 'vpn',
    title: 'IP-VPN across two hypervisors (PEs): routed VM traffic over MPLS-in-UDP (RFC 7510), every packet encapsulated by PE A, decapsulated by PE B, 64 B frames, veth + AF_PACKET ports',
    link: 'veth', frames: '64', macs: 1, vlan: 0, l3: { routes: 1 }, vpn: { encap: 'mpls-udp' },
    tests: ['pps', 'lat', 'tcp', 'tcp-nooff'],
    note: 'The routed scenario cut in two: the source host behind PE A, the sink host and the route 198.19.0.0/16 behind PE B, the PEs joined by an underlay veth (MTU 1600). '
      + 'hvswitch: one hvswitchd per PE, both pinned to the DUT CPU (DUT CPU summed), VRF bench with routed ports, VPNv4 over a direct iBGP session (bench/lib/vpn.mjs): '
      + 'A learns 198.19.0.0/16 and 198.18.2.0/24 with B\'s label. The reference is hvswitch\'s own routed scenario in the same run (one daemon, no tunnel). '
      + 'Linux and OVS: not run (no MPLS-in-UDP PE of theirs is wired here).',
  },
  {
    name: 'vpn-encap',
    title: 'IP-VPN, PE A on its own: routed VM traffic into MPLS-in-UDP (RFC 7510), 64 B frames, veth + AF_PACKET port, delivered = datagrams at PE B\'s stand-in',
    link: 'veth', frames: '64', macs: 1, vlan: 0, l3: { routes: 1 }, vpn: { encap: 'mpls-udp', half: 'encap' },
    tests: ['pps'],
    note: 'The vpn scenario with only PE A an hvswitchd (one daemon on the DUT CPU, as routed): the source host behind A, and at the far end of the underlay veth '
      + 'a namespace standing for PE B: our BGP speaker (bench/vpn/pe-stub.mjs) advertises B\'s VPNv4 routes (198.19.0.0/16, 198.18.2.0/24, label 1000, next hop B) to A over iBGP, '
      + 'and bench/gen/udpsink.c receives the datagrams to port 6635 (UDP_GRO, as B\'s own socket) and drops them, counting each datagram: delivered. '
      + 'A\'s work: AF_PACKET receive, VRF lookup, TTL, label push, UDP (GSO) send; the kernel\'s delivery up to the sink\'s socket runs in A\'s context (DUT CPU), the sink process on the generator CPU.',
  },
  {
    name: 'vpn-decap',
    title: 'IP-VPN, PE B on its own: MPLS-in-UDP from the underlay decapsulated and routed to the sink, 64 B inner frames, veth + AF_PACKET port',
    link: 'veth', frames: '64', macs: 1, vlan: 0, l3: { routes: 1 }, vpn: { encap: 'mpls-udp', half: 'decap' },
    tests: ['pps'],
    note: 'The vpn scenario with only PE B an hvswitchd (one daemon on the DUT CPU, as routed): the generator, in a namespace standing for PE A, '
      + 'sends MPLS-in-UDP frames onto the underlay veth (outer IPv4 198.18.254.1 > 198.18.254.2, UDP 6635, DF, IP ID 0 and a UDP checksum, as A\'s sockets send them; inner IPv4/UDP to 198.19.0.99, 64 B as a frame) '
      + 'with the label B advertised for 198.19.0.0/16, read from the VPNv4 route B sent to A\'s stand-in (our BGP speaker, bench/vpn/pe-stub.mjs). '
      + 'B: UDP receive on 6635, label pop, VRF lookup, routed send to the sink. The generator\'s datagrams reach B one by one (veth polls once per frame, and its default has no GRO), where A\'s UDP GSO runs in vpn arrive whole.',
  },
  {
    name: 'vpn-decap-gro',
    title: 'IP-VPN, PE B on its own, GRO on its underlay interface: vpn-decap with the datagrams of one flow reaching B\'s socket in runs',
    link: 'veth', frames: '64', macs: 1, vlan: 0, l3: { routes: 1 }, vpn: { encap: 'mpls-udp', half: 'decap', gro: true },
    tests: ['pps'],
    note: 'vpn-decap with B\'s underlay receiving as a NIC does, through NAPI with GRO: `ethtool -K ul0 gro on` in B\'s namespace, '
      + 'gro_flush_timeout 20 µs with napi_defer_hard_irqs 2 on it (a NIC\'s interrupt coalescing: veth would poll once per frame), '
      + 'and TSO off on the stand-in\'s eth0 (veth gives NAPI only skbs of sockets or of a device without TSO). The kernel\'s UDP GRO '
      + 'merges consecutive datagrams of the generator\'s one flow for B\'s UDP_GRO socket (up to 64), as A\'s UDP GSO runs arrive in vpn; '
      + 'UdpInDatagrams in B\'s namespace counts B\'s receives (udp-B-*.txt in the run directory).',
  },
  {
    name: 'many-routes',
    title: 'Routed forwarding with 1M IPv4 routes (/24s) in the VRF, every frame to a different one, 64 B frames',
    link: 'veth', frames: '64', macs: 1, vlan: 0, l3: { routes: 1000000 },
    tests: ['pps', 'lat', 'lat-load', 'tcp', 'tcp-nooff', 'idle'],
    note: 'Routes 16.0.0.0/24 .. 31.66.63.0/24 via the sink, loaded at start (Linux: ip -batch; hvswitch: its config file, JSON; OVS: ovs-ofctl add-flows, one flow per route); each frame goes to another address in the range of the routes (trafgen: at random; hvgen: one per /24 in a scattered order). "start + load tables" is the time from starting the device to its tables being full.',
  },
];

export const scenarioByName = (n) => SCENARIOS.find((s) => s.name === n);
