#!/usr/bin/env bash
# First end-to-end figures (issue: L2 core): hvswitchd between two veth ports,
# side by side with the Linux bridge in the same interleaved run, using the
# dataplane anchor harness (../shared/anchors/dataplane/run-anchors.sh):
# 64-byte forwarding rate, ping latency, iperf3 TCP with default offloads.
# Usage: bench/first-figures.sh [--reps 3] [--duration 10] [extra harness options]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
harness=${ANCHORS:-$root/../shared/anchors/dataplane}/run-anchors.sh
[ -x "$harness" ] || { echo "first-figures: harness not found at $harness (set ANCHORS=dir)" >&2; exit 1; }
[ -f "$root/dist/src/daemon/main.js" ] || (cd "$root" && npm run build)
cfg=$(mktemp /tmp/hvswitch-bench-XXXX.yaml)
cat > "$cfg" <<EOC
bridges: {br0: {}}
ports:
  ancsw0: {backend: af-packet, bridge: br0, mode: access, vlan: 1}
  ancsw1: {backend: af-packet, bridge: br0, mode: access, vlan: 1}
EOC
out=${OUT:-$root/bench/results/first-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"
"$harness" --dut linux-bridge --dut hvswitch \
  --dut-cmd "$(command -v node) $root/dist/src/daemon/main.js --config $cfg --socket /tmp/hvswitch-bench.sock --log-level warn" \
  --offloads default --out "$out" "$@"
rm -f "$cfg"
