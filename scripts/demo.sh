#!/usr/bin/env bash
# The demo, in seven parts.  Installs what hvswitch needs and builds it, then:
#  1. starts hvswitchd with its built-in default config (bridge br0, TAP ports
#     hv-vm1 and hv-vm2) inside a private network namespace, moves each TAP into
#     a namespace that plays a VM, pings across the switch, shows the learned
#     FDB, a packet capture of one port (pcap read by tcpdump) and the port counters;
#  2. EVPN over VXLAN between two hypervisors: two namespaces each run an
#     hvswitchd with a VTEP on an underlay veth (a direct veth pair between the
#     two, 192.0.2.11 and .12, MTU 1600 for the 50 bytes of VXLAN), bridge br0
#     with VLAN 10 mapped to VNI 10010, an access port to a VM namespace
#     (10.100.0.1 and .2), and the embedded BGP speaker: the two daemons peer
#     with each other over iBGP (AS 65000, l2vpn-evpn; hv1 listens on port 179,
#     hv2 connects).  Waits for the session and for the VMs to reach each other,
#     pings across the tunnel, shows the BGP neighbor, the EVPN routes, the FDB
#     with the remote VM's MAC behind the other VTEP, and the counters; then a
#     port whose interface appears late (absent, then attached) and an API
#     change written back to the config file;
#  3. IP-VPN between the same two hypervisors: VRF red on each, a VM on a
#     routed TAP port (a /32, gateway 169.254.0.1), VPNv4 routes over iBGP
#     with MPLS-in-UDP as the encapsulation: the VMs ping each other, the VRF's
#     routes (origin bgp: remote PE, label, encapsulation) and the VPNv4 RIB;
#  4. a spanning tree gateway: hypervisor 1's bridge joins a physical segment
#     (the kernel's 802.1D bridge in a namespace) over two links: RSTP falls
#     back to 802.1D on both, one link forwards, the other is alternate;
#  5. faster ports: two VMs on veth ports opened with AF_XDP (an XDP program
#     redirects each frame to the port's XSK), the worker in adaptive polling
#     (it keeps polling 100 µs after its last busy batch before it sleeps, a
#     budget that grows up to 20 ms while wake-ups keep finding traffic, so a
#     steady 100/s ping stops paying the wake-up);
#  6. EVPN type-5 between the two hypervisors of parts 2 and 3: VRF red with L3
#     VNI 9100, a VM on a routed TAP port on each, IP prefix routes over iBGP
#     (l2vpn-evpn), VXLAN with router MACs on the underlay (tcpdump);
#  7. an L2 gateway: hypervisor 1's bridge reaches a "physical" switch (Open
#     vSwitch's userspace datapath, its own ovsdb-server and ovs-vswitchd in a
#     namespace) over a bond of two AF_PACKET members negotiating LACP (fast)
#     with OVS's bond (lacp=active, balance-tcp); a server behind OVS pings a VM
#     on hvswitchd across the bond; `lacp show` and the per-member counters;
#     one member's link cut under the ping: it leaves, the ping goes on.
# Everything it creates carries a per-run suffix and is removed on exit, also on
# failure: the daemons it started (by PID, OVS's too), the namespaces, the temp directory.
# Run as root on Debian 12 with Node 20.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then echo "demo: run as root (it creates network namespaces and TAP devices)" >&2; exit 1; fi
bash scripts/install-deps.sh --runtime
[ -d node_modules ] || npm install --no-audit --no-fund
[ -f build/addon/Release/hvswitch.node ] && [ -f dist/src/daemon/main.js ] || npm run build

tag=$$
sw=hvdemo-sw-$tag vm1=hvdemo-vm1-$tag vm2=hvdemo-vm2-$tag
hv1=hvdemo-hv1-$tag hv2=hvdemo-hv2-$tag evm1=hvdemo-evm1-$tag evm2=hvdemo-evm2-$tag
pvm1=hvdemo-pvm1-$tag pvm2=hvdemo-pvm2-$tag seg=hvdemo-seg-$tag xvm1=hvdemo-xvm1-$tag xvm2=hvdemo-xvm2-$tag
tvm1=hvdemo-tvm1-$tag tvm2=hvdemo-tvm2-$tag ovs=hvdemo-ovs-$tag srv=hvdemo-srv-$tag gvm=hvdemo-gvm-$tag
namespaces="$sw $vm1 $vm2 $hv1 $hv2 $evm1 $evm2 $pvm1 $pvm2 $seg $xvm1 $xvm2 $tvm1 $tvm2 $ovs $srv $gvm"
tmp=$(mktemp -d)
sock=$tmp/api.sock
daemon= daemons= ovsd=
# stop PID: SIGTERM, up to 10 s for it to exit, then SIGKILL
stop() {
  kill -TERM "$1" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  if [ "$rc" != 0 ]; then
    echo "demo: failed (status $rc); the daemons' logs:" >&2
    for f in "$tmp"/*.log "$tmp"/ovs/*.log; do [ -f "$f" ] && { echo "-- $f" >&2; tail -n 30 "$f" | cut -c1-300 >&2; }; done
  fi
  for p in $daemon $daemons $ovsd; do stop "$p"; done
  for n in $namespaces; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
mkns() {
  ip netns add "$1"
  ip -n "$1" link set lo up
  ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}
# until SECONDS WHAT CMD...: runs CMD every 0.2 s until it succeeds; fails the demo after SECONDS
until_ok() {
  local limit=$1 what=$2; shift 2
  local end=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$end" ]; then echo "demo: timed out after ${limit}s waiting for $what" >&2; return 1; fi
    sleep 0.2
  done
}
for n in $sw $vm1 $vm2; do mkns "$n"; done

echo "== hvswitchd, built-in default config:"
# into a file first: whatever stdout is (a terminal, a pipe, a file), the block
# is never printed empty; an empty answer stops the demo with the reason
node dist/src/daemon/main.js --print-default-config > "$tmp/default.yaml"
if [ ! -s "$tmp/default.yaml" ]; then echo "demo: hvswitchd --print-default-config printed nothing" >&2; exit 1; fi
sed 's/^/   /' "$tmp/default.yaml"
ip netns exec $sw node dist/src/daemon/main.js --socket "$sock" > "$tmp/hvswitchd.log" 2>&1 &
daemon=$!
for _ in $(seq 50); do ip -n $sw link show hv-vm2 >/dev/null 2>&1 && break; sleep 0.1; done
ip -n $sw link set hv-vm1 netns $vm1
ip -n $sw link set hv-vm2 netns $vm2
ip -n $vm1 addr add 192.0.2.1/24 dev hv-vm1 && ip -n $vm1 link set hv-vm1 up
ip -n $vm2 addr add 192.0.2.2/24 dev hv-vm2 && ip -n $vm2 link set hv-vm2 up

echo "== vm1 (192.0.2.1, on TAP hv-vm1) pings vm2 (192.0.2.2, on TAP hv-vm2) through hvswitchd:"
ip netns exec $vm1 ping -c 4 -i 0.2 192.0.2.2
cli() { node dist/src/cli/main.js --socket "$sock" "$@"; }
echo "== hvswitch fdb show:"
cli fdb show
echo "== hvswitch port capture hv-vm1 -c 4 --filter icmp -w - | tcpdump -r - (the core copies what the filter keeps, as pcap, while vm1 pings):"
ip netns exec $vm1 ping -c 100 -i 0.1 192.0.2.2 >/dev/null & pinger=$!
cli port capture hv-vm1 -c 4 --filter icmp -w - | tcpdump -n -r - 2>/dev/null | sed 's/^/   /'
kill $pinger 2>/dev/null || true; wait $pinger 2>/dev/null || true
echo "== hvswitch stats:"
cli stats
echo "== stopping hvswitchd (SIGTERM): workers joined, its TAP devices removed"
kill -TERM $daemon; wait $daemon; daemon=
echo "hvswitchd exited with status 0; log:"
sed 's/^/   /' "$tmp/hvswitchd.log" | cut -c1-200

# ---- part 2: EVPN over VXLAN between two hypervisors, iBGP between the two hvswitchd
echo
echo "== EVPN over VXLAN: two hypervisors (namespaces $hv1, $hv2), one VM on each"
for n in $hv1 $hv2 $evm1 $evm2; do mkns "$n"; done
# the underlay: a veth pair between the hypervisors, MTU 1600 so a 1500-byte VM frame fits in VXLAN
ip -n $hv1 link add ul0 mtu 1600 type veth peer name ul0 mtu 1600 netns $hv2
ip -n $hv1 addr add 192.0.2.11/24 dev ul0 && ip -n $hv1 link set ul0 up
ip -n $hv2 addr add 192.0.2.12/24 dev ul0 && ip -n $hv2 link set ul0 up
# hvswitchd config: $1 this VTEP, $2 the other one, $3 the bgp.global line, $4 neighbor options
evpn_config() {
  cat <<YAML
vtep: { address: $1, mtu: 1600 }
bridges:
  br0:
    evpn: [{ vlan: 10, vni: 10010 }]
ports:
  vm:
    backend: af-packet
    bridge: br0
    mode: access
    vlan: 10
bgp:
  global: { as: 65000, router-id: $1, $3 }
  neighbors:
    - neighbor-address: $2
      peer-as: 65000
      afi-safis: [l2vpn-evpn]
      local-address: $1
      $4
YAML
}
evpn_config 192.0.2.11 192.0.2.12 'listen-port: 179, listen-address: 192.0.2.11' 'passive: true' > "$tmp/hv1.yaml"
# hv1 also has a port whose interface does not exist yet (an uplink that comes up later)
printf '  uplink1: # comes up later\n    backend: af-packet\n    bridge: br0\n    mode: access\n    vlan: 10\n' > "$tmp/uplink1.yaml"
sed -i "/^bgp:/e cat $tmp/uplink1.yaml" "$tmp/hv1.yaml"
evpn_config 192.0.2.12 192.0.2.11 'listen-port: 0' 'timers: { connect-retry: 1, idle-hold-time: 1 }' > "$tmp/hv2.yaml"
echo "== hv1's config (hv2's is the mirror image: it connects to hv1, which waits on port 179):"
sed 's/^/   /' "$tmp/hv1.yaml"
i=0
for h in $hv1 $hv2; do
  i=$((i + 1))
  # the access port: a veth whose other end is the VM's eth0
  vm=$evm1; [ $i = 2 ] && vm=$evm2
  ip -n $h link add vm type veth peer name eth0 netns $vm
  ip -n $h link set vm up
  ip -n $vm addr add 10.100.0.$i/24 dev eth0 && ip -n $vm link set eth0 up
  ip netns exec $h node dist/src/daemon/main.js --config "$tmp/hv$i.yaml" --socket "$tmp/hv$i.sock" > "$tmp/hv$i.log" 2>&1 &
  daemons="$daemons $!"
done
hv() { local i=$1; shift; node dist/src/cli/main.js --socket "$tmp/hv$i.sock" "$@"; }
# json_has CODE: reads JSON on stdin, succeeds when the JS expression CODE (over `j`) is true
json_has() { node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => { const j = JSON.parse(s); process.exit(eval(process.argv[1]) ? 0 : 1); });' "$1"; }
established() { hv "$1" bgp neighbor --json | json_has 'j.length === 1 && j[0].state === "Established"'; }
# hv1 knows vm2's MAC as a remote entry (from hv2's type-2 route), and the other way round
remote_mac() { hv "$1" fdb show --json | json_has "j.some((e) => e.mac === '$2' && e.kind === 'remote')"; }
until_ok 30 "hv1's API" hv 1 daemon info
until_ok 30 "hv2's API" hv 2 daemon info
until_ok 30 "the BGP session hv1 <-> hv2" established 1
until_ok 30 "the BGP session hv2 <-> hv1" established 2
until_ok 30 "vm1 to reach vm2 across the tunnel" ip netns exec $evm1 ping -c 1 -W 1 10.100.0.2
echo "== vm1 (10.100.0.1, behind VTEP 192.0.2.11) pings vm2 (10.100.0.2, behind VTEP 192.0.2.12) over VXLAN VNI 10010:"
ip netns exec $evm1 ping -c 4 -i 0.2 10.100.0.2
vm1mac=$(ip netns exec $evm1 cat /sys/class/net/eth0/address)
vm2mac=$(ip netns exec $evm2 cat /sys/class/net/eth0/address)
until_ok 30 "vm2's MAC ($vm2mac) as a remote FDB entry on hv1" remote_mac 1 "$vm2mac"
until_ok 30 "vm1's MAC ($vm1mac) as a remote FDB entry on hv2" remote_mac 2 "$vm1mac"
echo "== hv1: hvswitch bgp neighbor"
hv 1 bgp neighbor
echo "== hv1: hvswitch bgp rib -a evpn (type 3: each VTEP's flood-list entry; type 2: each VM's MAC)"
hv 1 bgp rib -a evpn
echo "== hv1: hvswitch fdb show (vm1's MAC learned on port vm; vm2's MAC remote, on the tunnel to VTEP 192.0.2.12, from hv2's type-2 route)"
hv 1 fdb show
echo "== hv1: hvswitch evpn show (the local VTEP with its encap/decap counters, the instance, the remote VTEP)"
hv 1 evpn show
echo "== hv1: hvswitch stats"
hv 1 stats
# ARP suppression: hv1 holds vm2's MAC/IP route (hv2 snooped vm2's ARP reply); vm1 forgets vm2's MAC and asks again
mac_ip_route() { hv 1 bgp rib -a evpn | grep -q "\[mac:$vm2mac\]\[ip:10.100.0.2\]"; }
until_ok 30 "vm2's MAC/IP route at hv1" mac_ip_route
ip -n $evm1 neigh flush dev eth0
ip netns exec $evm1 ping -c 1 -W 1 10.100.0.2 > /dev/null
suppressed() { hv 1 stats vm --json | json_has 'j.vm.arp_nd_suppressed >= 1'; }
until_ok 10 "hv1 to answer vm1's ARP request for vm2" suppressed
echo "== ARP suppression (RFC 7432 §10): vm1 asked for 10.100.0.2 again; hv1 answered it from vm2's MAC/IP route, no tunnel crossed:"
hv 1 stats vm | grep -E '^(arp_nd_suppressed|flooded) '
echo "== operating it: hv1's port uplink1 has no interface yet: absent, the switch runs"
hv 1 port list
ip -n $hv1 link add uplink1 type veth peer name uplink1-peer
ip -n $hv1 link set uplink1 up
uplink_up() { hv 1 port list --json | json_has "j.some((p) => p.name === 'uplink1' && p.state === 'up')"; }
until_ok 30 "uplink1 to attach (rtnetlink link event)" uplink_up
echo "== the interface appeared: uplink1 attached"
hv 1 port list
echo "== an API change is written back to hv1's config file (comments kept): hvswitch bridge add br9"
hv 1 bridge add br9
diff -u "$tmp/hv1.yaml.prev" "$tmp/hv1.yaml" | sed 's/^/   /' || true
echo "== stopping both hvswitchd (SIGTERM)"
for p in $daemons; do kill -TERM "$p"; wait "$p"; done
daemons=
echo "both exited with status 0"

# ---- part 3: IP-VPN (VPNv4, MPLS over UDP) between the same two hypervisors
echo
echo "== IP-VPN: VRF red on both hypervisors, a VM on a routed TAP port on each, VPNv4 over iBGP, MPLS-in-UDP between the PEs"
# $1 this PE, $2 the other, $3 the bgp.global options, $4 neighbor options, $5 the VM's address, $6 its MAC,
# $7 the VM's port, $8 VRF red's vpn options, $9 the BGP family, ${10} "vtep": the PE is a VTEP too (type-5)
vpn_config() {
  local vtep=
  [ "${10:-}" = vtep ] && vtep="vtep: { address: $1, mtu: 1600 }"
  cat <<YAML
$vtep
pe: { address: $1 }
vrfs:
  red:
    vpn: { route-targets: ['65000:100'], $8 }
ports:
  $7:
    backend: tap
    mode: vm
    vrf: red
    vm-mac: $6
    addresses: [$5/32]
bgp:
  global: { as: 65000, router-id: $1, $3 }
  neighbors:
    - neighbor-address: $2
      peer-as: 65000
      afi-safis: [$9]
      local-address: $1
      $4
YAML
}
# routed_vm HV VM TAP ADDR MAC: moves hvswitchd's TAP into the VM's namespace and gives the VM
# what its port's config says (its /32 and MAC) and the gateway 169.254.0.1 on-link (as CloudStack's netplan)
routed_vm() {
  until_ok 30 "the TAP $3 in $1" ip -n $1 link show $3
  ip -n $1 link set $3 netns $2
  ip -n $2 link set $3 address $5
  ip -n $2 addr add $4/32 dev $3 && ip -n $2 link set $3 up
  ip -n $2 route add 169.254.0.1 dev $3 && ip -n $2 route add default via 169.254.0.1 dev $3 onlink
}
# Two hypervisors with one VM each in VRF red: hv1 listens, hv2 connects.
#   vpn_pair NAME TAP VMNS1 VMNS2 NET MACPFX VRF-OPTIONS FAMILY [vtep]
# (VM i: NET.i with MAC MACPFX:0i on TAP), hv1's config shown, both daemons
# started, the session and vm1 -> vm2 waited for.
vpn_pair() {
  local name=$1 tap=$2 vm1=$3 vm2=$4 net=$5 mac=$6 opts=$7 family=$8 vtep=${9:-}
  vpn_config 192.0.2.11 192.0.2.12 'listen-port: 179, listen-address: 192.0.2.11' 'passive: true' $net.1 $mac:01 $tap "$opts" $family $vtep > "$tmp/$name-1.yaml"
  vpn_config 192.0.2.12 192.0.2.11 'listen-port: 0' 'timers: { connect-retry: 1, idle-hold-time: 1 }' $net.2 $mac:02 $tap "$opts" $family $vtep > "$tmp/$name-2.yaml"
  echo "== hv1's config:"
  sed 's/^/   /' "$tmp/$name-1.yaml"
  mkns $vm1; mkns $vm2
  local i=0 h
  for h in $hv1 $hv2; do
    i=$((i + 1))
    ip netns exec $h node dist/src/daemon/main.js --config "$tmp/$name-$i.yaml" --socket "$tmp/hv$i.sock" --no-persist > "$tmp/$name-$i.log" 2>&1 &
    daemons="$daemons $!"
  done
  routed_vm $hv1 $vm1 $tap $net.1 $mac:01
  routed_vm $hv2 $vm2 $tap $net.2 $mac:02
  until_ok 30 "the BGP session hv1 <-> hv2" established 1
  until_ok 30 "vm1 to reach vm2 ($name)" ip netns exec $vm1 ping -c 1 -W 1 $net.2
}
vpn_pair vpn vpn-vm $pvm1 $pvm2 10.1.0 52:54:00:00:01 'encapsulations: [mpls-udp]' l3vpn-ipv4-unicast
echo "== vm1 (10.1.0.1 in VRF red on hv1) pings vm2 (10.1.0.2 in VRF red on hv2) over MPLS-in-UDP:"
ip netns exec $pvm1 ping -c 4 -i 0.2 10.1.0.2
echo "== hv1: hvswitch route show --vrf red (vm2's /32 has origin bgp: remote PE, label, encapsulation)"
hv 1 route show --vrf red
echo "== hv1: hvswitch bgp rib -a vpnv4 (each PE's VM route with its RD and label)"
hv 1 bgp rib -a vpnv4
echo "== hv1's underlay while vm1 pings: UDP to port 6635 (RFC 7510), the label, then the inner packet"
ip netns exec $pvm1 ping -c 50 -i 0.1 10.1.0.2 >/dev/null & pinger=$!
timeout 10 ip netns exec $hv1 tcpdump -c 2 -nli ul0 udp port 6635 2>/dev/null | sed 's/^/   /' || true
kill $pinger 2>/dev/null || true; wait $pinger 2>/dev/null || true
echo "== stopping both hvswitchd (SIGTERM)"
for p in $daemons; do kill -TERM "$p"; wait "$p"; done
daemons=

# ---- part 4: a spanning tree gateway into a physical segment
echo
echo "== spanning tree: hv1's br0 joins a segment (the kernel's 802.1D bridge in $seg, the root) over two links"
mkns $seg
ip -n $seg link add seg0 type bridge stp_state 1 priority 0 hello_time 100 max_age 600 forward_delay 400
ip -n $seg link set seg0 up
for l in 1 2; do
  ip -n $hv1 link add gw$l type veth peer name seg$l netns $seg
  ip -n $hv1 link set gw$l up
  ip -n $seg link set seg$l master seg0 && ip -n $seg link set seg$l up
done
cat > "$tmp/stp.yaml" <<YAML
bridges:
  br0:
    stp: { mode: rstp, priority: 32768 }
ports:
  gw1: { backend: af-packet, bridge: br0, mode: access, vlan: 1 }
  gw2: { backend: af-packet, bridge: br0, mode: access, vlan: 1 }
YAML
sed 's/^/   /' "$tmp/stp.yaml"
ip netns exec $hv1 node dist/src/daemon/main.js --config "$tmp/stp.yaml" --socket "$tmp/hv1.sock" --no-persist > "$tmp/stp.log" 2>&1 &
daemon=$!
# one link forwarding (root port), the other alternate and discarding, both speaking 802.1D to the kernel bridge
converged() { hv 1 stp show --json | json_has 'const p = j[0].ports; p.filter((x) => x.state === "forwarding").length === 1 && p.some((x) => x.role === "alternate" && x.state === "discarding") && p.every((x) => x.protocol === "stp")'; }
until_ok 60 "the spanning tree to converge with the kernel bridge" converged
echo "== hv1: hvswitch stp show (the kernel bridge is root; one link root port, forwarding; the other alternate, discarding; both fell back to 802.1D)"
hv 1 stp show
echo "== stopping hvswitchd (SIGTERM)"
kill -TERM $daemon; wait $daemon; daemon=
echo "exited with status 0"

# ---- part 5: AF_XDP ports, adaptive polling
echo
echo "== faster ports: hv1's br0 with two VMs on veth ports opened with AF_XDP, the worker in adaptive polling"
mkns $xvm1; mkns $xvm2
for i in 1 2; do
  vm=$xvm1; [ $i = 2 ] && vm=$xvm2
  ip -n $hv1 link add xp$i type veth peer name eth0 netns $vm
  ip -n $hv1 link set xp$i up
  ip -n $vm addr add 10.200.0.$i/24 dev eth0 && ip -n $vm link set eth0 up
done
cat > "$tmp/xdp.yaml" <<YAML
dataplane:
  polling: { mode: adaptive, budget-us: 100, budget-max-us: 20000 }
bridges:
  br0: {}
ports:
  xp1: { backend: af-xdp, bridge: br0, mode: access, vlan: 1 }
  xp2: { backend: af-xdp, bridge: br0, mode: access, vlan: 1 }
YAML
sed 's/^/   /' "$tmp/xdp.yaml"
ip netns exec $hv1 node dist/src/daemon/main.js --config "$tmp/xdp.yaml" --socket "$tmp/hv1.sock" --no-persist > "$tmp/xdp.log" 2>&1 &
daemon=$!
until_ok 30 "hv1's API" hv 1 daemon info
until_ok 30 "vm1 to reach vm2 through the AF_XDP ports" ip netns exec $xvm1 ping -c 1 -W 1 10.200.0.2
echo "== vm1 (10.200.0.1) pings vm2 (10.200.0.2) through hvswitchd's AF_XDP ports:"
ip netns exec $xvm1 ping -c 4 -i 0.2 10.200.0.2
echo "== the same at 100 pings/s: the worker's budget grows to cover the 10 ms gaps (docs/polling.md)"
ip netns exec $xvm1 ping -c 100 -i 0.01 -q 10.200.0.2
echo "== hv1: hvswitch port show xp1 (datapath af-xdp: copy mode on veth; an interface where AF_XDP cannot attach falls back to AF_PACKET and says why; tx_zero_copy: frames xp1 sent as xp2 received them, from the UMEM the two share, without a copy, docs/afxdp.md)"
hv 1 port show xp1
echo "== hv1: hvswitch stats"
hv 1 stats
echo "== stopping hvswitchd (SIGTERM)"
kill -TERM $daemon; wait $daemon; daemon=
echo "exited with status 0"

# ---- part 6: EVPN type-5 (IP prefix routes, symmetric IRB over VXLAN) between hv1 and hv2
echo
echo "== EVPN type-5: VRF red with L3 VNI 9100 on both hypervisors, a VM on a routed TAP port on each, IP prefix routes over iBGP"
t5='l3-vni: 9100, encapsulations: [vxlan]'
vpn_pair t5 t5-vm $tvm1 $tvm2 10.5.0 52:54:00:00:05 "$t5" l2vpn-evpn vtep
echo "== vm1 (10.5.0.1 in VRF red on hv1) pings vm2 (10.5.0.2 in VRF red on hv2) over VXLAN, L3 VNI 9100:"
ip netns exec $tvm1 ping -c 4 -i 0.2 10.5.0.2
echo "== hv1: hvswitch route show --vrf red --origin bgp (vm2's /32: remote VTEP, encap vxlan, VNI, the other side's router MAC)"
hv 1 route show --vrf red --origin bgp
echo "== hv1: hvswitch bgp rib -a evpn (type-5 IP prefix routes with the router MAC and VXLAN encapsulation communities)"
hv 1 bgp rib -a evpn
echo "== hv1's underlay while vm1 pings: VXLAN VNI 9100, the inner frame between the two router MACs"
ip netns exec $tvm1 ping -c 50 -i 0.1 10.5.0.2 >/dev/null & pinger=$!
timeout 10 ip netns exec $hv1 tcpdump -c 2 -nnei ul0 udp port 4789 2>/dev/null | sed 's/^/   /' || true
kill $pinger 2>/dev/null || true; wait $pinger 2>/dev/null || true
echo "== stopping both hvswitchd (SIGTERM)"
for p in $daemons; do kill -TERM "$p"; wait "$p"; done
daemons=
echo "both exited with status 0"

# ---- part 7: an L2 gateway, a LACP bond against Open vSwitch's bond
echo
echo "== L2 gateway: hv1's br0 reaches a switch (Open vSwitch, userspace datapath, in $ovs) over a LACP bond of two links"
# The OVS namespace holds no address (as a real switch): OVS's userspace datapath reads
# its bond members through AF_PACKET, so that namespace's kernel would see their frames
# too and answer ARP for a local address itself (docs/lacp.md). The server has its own
# namespace behind an access port of OVS's bridge.
mkns $ovs; mkns $srv; mkns $gvm
for l in 1 2; do
  ip -n $hv1 link add bm$l type veth peer name ob$l netns $ovs
  ip -n $hv1 link set bm$l up && ip -n $ovs link set ob$l up
done
ip -n $hv1 link add gvm type veth peer name eth0 netns $gvm
ip -n $hv1 link set gvm up
ip -n $gvm addr add 10.7.0.1/24 dev eth0 && ip -n $gvm link set eth0 up
ip -n $ovs link add srv type veth peer name eth0 netns $srv
ip -n $ovs link set srv up
ip -n $srv addr add 10.7.0.2/24 dev eth0 && ip -n $srv link set eth0 up
# a private ovsdb-server and ovs-vswitchd (the distro's are stopped by install-deps.sh): own db, run and log dirs
o=$tmp/ovs; mkdir -p "$o"
ovsenv=(env "OVS_RUNDIR=$o" "OVS_DBDIR=$o" "OVS_LOGDIR=$o")
vsctl() { ip netns exec $ovs ovs-vsctl --timeout=30 --db=unix:$o/db.sock "$@"; }
appctl() { ip netns exec $ovs ovs-appctl -t "$o/vswitchd.ctl" "$@"; }
ovsdb-tool create "$o/conf.db" /usr/share/openvswitch/vswitch.ovsschema
ip netns exec $ovs "${ovsenv[@]}" ovsdb-server "$o/conf.db" --remote=punix:$o/db.sock --unixctl=$o/ovsdb.ctl > "$o/ovsdb.log" 2>&1 &
ovsd=$!
until_ok 30 "ovsdb-server" vsctl --no-wait init
ip netns exec $ovs "${ovsenv[@]}" ovs-vswitchd unix:$o/db.sock --unixctl=$o/vswitchd.ctl --log-file=$o/vswitchd.log > /dev/null 2>&1 &
ovsd="$! $ovsd" # stopped before ovsdb-server
vsctl add-br br0 -- set bridge br0 datapath_type=netdev
vsctl add-port br0 srv
vsctl add-bond br0 bond0 ob1 ob2 lacp=active other_config:lacp-time=fast bond_mode=balance-tcp
echo "== OVS: ovs-vsctl add-bond br0 bond0 ob1 ob2 lacp=active other_config:lacp-time=fast bond_mode=balance-tcp"
cat > "$tmp/gw.yaml" <<YAML
bridges:
  br0: {}
ports:
  gvm: { backend: af-packet, bridge: br0, mode: access, vlan: 1 }
bonds:
  bond0:
    bridge: br0
    hash: l3l4
    members: { bm1: {}, bm2: {} }
    lacp: { mode: active, rate: fast }
YAML
echo "== hv1's config:"
sed 's/^/   /' "$tmp/gw.yaml"
ip netns exec $hv1 node dist/src/daemon/main.js --config "$tmp/gw.yaml" --socket "$tmp/hv1.sock" --no-persist > "$tmp/gw.log" 2>&1 &
daemon=$!
until_ok 30 "hv1's API" hv 1 daemon info
members_in() { hv 1 lacp show bond0 --json | json_has "j[0].members.filter((m) => m.mayEnable).length === $1"; }
ovs_negotiated() { appctl lacp/show bond0 | grep -q 'status: active negotiated'; }
until_ok 30 "both members collecting and distributing on hv1" members_in 2
until_ok 30 "OVS's bond negotiated" ovs_negotiated
until_ok 30 "the server to reach the VM across the bond" ip netns exec $srv ping -c 1 -W 1 10.7.0.1
echo "== the server (10.7.0.2, behind OVS) pings the VM (10.7.0.1, on hv1's br0) across the bond:"
ip netns exec $srv ping -c 4 -i 0.2 10.7.0.1
echo "== hv1: hvswitch lacp show bond0 (per member: actor, and OVS as partner, both collecting and distributing; the priority lines left out)"
hv 1 lacp show bond0 | grep -v '_priority:'
echo "== OVS's side: ovs-appctl lacp/show bond0 (status and members)"
appctl lacp/show bond0 | grep -E '^  status|^  partner sys_id|^member' | sed 's/^/   /'
echo "== hv1: hvswitch stats (per member: LACPDUs and the flows each member carries)"
hv 1 stats
# the member carrying the echo replies (ICMP hashes on the addresses: one member)
tx() { hv 1 stats --json | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => { const j = JSON.parse(s); console.log(j.bm1.tx_packets, j.bm2.tx_packets); });'; }
read -r a1 a2 < <(tx)
ip netns exec $srv ping -c 20 -i 0.01 10.7.0.1 > /dev/null
read -r b1 b2 < <(tx)
k=1; [ $((b2 - a2)) -gt $((b1 - a1)) ] && k=2
echo "== the link of bm$k (it carries the replies: $((b1 - a1)) / $((b2 - a2)) frames on bm1 / bm2 for 20 echoes) cut under a 20/s ping from the server:"
ip netns exec $srv ping -c 100 -i 0.05 -W 1 10.7.0.1 > "$tmp/gw-ping.txt" & pinger=$!
replies() { [ "$(grep -c 'bytes from' "$tmp/gw-ping.txt")" -ge "$1" ]; }
until_ok 10 "the ping to flow" replies 20
ip -n $ovs link set ob$k down
until_ok 30 "bm$k to leave the bond" members_in 1
wait $pinger || true
tail -n 2 "$tmp/gw-ping.txt" | sed 's/^/   /'
echo "== hv1: hvswitch lacp show bond0 after the cut (status and members)"
hv 1 lacp show bond0 | grep -E '^  status|^member|^  may_enable'
echo "== stopping hvswitchd (SIGTERM), then ovs-vswitchd and ovsdb-server"
kill -TERM $daemon; wait $daemon; daemon=
for p in $ovsd; do stop "$p"; done
ovsd=
echo "all exited"
