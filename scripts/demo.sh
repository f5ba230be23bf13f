#!/usr/bin/env bash
# The demo: installs what hvswitch needs, builds it, then starts hvswitchd with
# its built-in default config (bridge br0, TAP ports hv-vm1 and hv-vm2) inside a
# private network namespace, moves each TAP into a namespace that plays a VM,
# pings across the switch, shows the learned FDB and the port counters, and
# cleans everything up.  Run as root on Debian 12 with Node 20.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then echo "demo: run as root (it creates network namespaces and TAP devices)" >&2; exit 1; fi
bash scripts/install-deps.sh --runtime
[ -d node_modules ] || npm install --no-audit --no-fund
[ -f build/addon/Release/hvswitch.node ] && [ -f dist/src/daemon/main.js ] || npm run build

tag=$$
sw=hvdemo-sw-$tag vm1=hvdemo-vm1-$tag vm2=hvdemo-vm2-$tag
sock=$(mktemp -d)/api.sock
daemon=
cleanup() {
  [ -n "$daemon" ] && kill -TERM "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null || true
  for n in $sw $vm1 $vm2; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$(dirname "$sock")"
}
trap cleanup EXIT
for n in $sw $vm1 $vm2; do
  ip netns add "$n"
  ip -n "$n" link set lo up
  ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
done

echo "== hvswitchd, built-in default config:"
node dist/src/daemon/main.js --print-default-config | sed 's/^/   /'
ip netns exec $sw node dist/src/daemon/main.js --socket "$sock" > "$(dirname "$sock")/hvswitchd.log" 2>&1 &
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
echo "== hvswitch stats:"
cli stats
echo "== stopping hvswitchd (SIGTERM): workers joined, its TAP devices removed"
kill -TERM $daemon; wait $daemon; daemon=
echo "hvswitchd exited with status 0; log:"
sed 's/^/   /' "$(dirname "$sock")/hvswitchd.log" | cut -c1-200
