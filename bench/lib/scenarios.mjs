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
//
// A scenario whose forwarding mode hvswitch does not have yet is listed with
// `planned`: the harness reports it as not run, with that reason, instead of
// leaving it out.  To add one: give it a topology and traffic here, teach the
// topology/devices any new wiring (e.g. a VTEP in the sink namespace), and drop
// `planned`.
export const SCENARIOS = [
  {
    name: 'access-64',
    title: 'L2 access, 64 B frames, veth + AF_PACKET ports',
    link: 'veth', frames: '64', macs: 1, vlan: 0,
    tests: ['pps', 'lat', 'tcp'],
  },
  {
    name: 'access-imix',
    title: 'L2 access, IMIX 7:4:1 (64/594/1518 B), veth + AF_PACKET ports',
    link: 'veth', frames: 'imix', macs: 1, vlan: 0,
    tests: ['pps', 'lat', 'tcp'],
  },
  {
    name: 'access-tap-64',
    title: 'L2 access, 64 B frames, TAP ports created by the switch',
    link: 'tap', frames: '64', macs: 1, vlan: 0,
    tests: ['pps', 'lat', 'tcp'],
    note: 'The Linux bridge has no process to hold a TAP: its figures here are on veth (the reference).',
  },
  {
    name: 'trunk-64',
    title: 'VLAN trunk (VLAN 10 of 10,20), 64 B tagged frames, veth + AF_PACKET ports',
    link: 'veth', frames: '64', macs: 1, vlan: 10, trunkVlans: [10, 20],
    tests: ['pps', 'lat', 'tcp'],
    note: 'hvswitch and OVS run trunk ports (allowed VLANs 10,20); the Linux bridge has no VLAN filtering and forwards the tagged frames blindly.',
  },
  {
    name: 'many-macs',
    title: 'L2 access, 64 B frames from 100k source MACs, veth + AF_PACKET ports',
    link: 'veth', frames: '64', macs: 100000, vlan: 0,
    tests: ['pps', 'lat', 'tcp'],
    note: 'MAC tables sized for 200k entries on every device; lat and tcp run right after pps, with the 100k MACs still in the table.',
  },
  {
    name: 'vxlan',
    title: 'VXLAN encap/decap (EVPN bridge domain), 64 B frames',
    planned: 'hvswitch has no VXLAN tunnel yet (roadmap step 6)',
  },
  {
    name: 'routed',
    title: 'Routed VRF forwarding between VM ports, 64 B frames',
    planned: 'not written yet: hvswitch has routed/VM ports (roadmap step 4), but the harness has no L3 topology (hosts with gateway 169.254.0.1, /32 routes) nor the comparables (Linux routing in the switch namespace, OVS with L3 flows)',
  },
  {
    name: 'many-routes',
    title: 'Routed forwarding with 1M IPv4 routes in the VRF',
    planned: 'needs the routed scenario, plus loading 1M routes into each device (BGP or the API for hvswitch, ip route for Linux, flows for OVS)',
  },
];

export const scenarioByName = (n) => SCENARIOS.find((s) => s.name === n);
