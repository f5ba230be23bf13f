#!/usr/bin/env bash
# npm run bench -- [options]: hvswitch side by side with the Linux bridge and
# Open vSwitch in network namespaces (bench/lib/main.mjs; --help for options).
# npm run bench -- --micro: the C and TypeScript micro-benchmarks (bench/micro.sh).
# npm run bench -- --evpn-routes: EVPN routes -> FDB, hvswitch beside FRR (bench/evpn/compare.mjs).
# npm run bench -- --wakeup [-a CPU -b CPU -n rounds -g gap_us]: the machine's thread wake-up
#   costs, cross-CPU and same-CPU (bench/wake/wakeup.c; docs/polling.md, "The platform's floor").
# npm run bench -- --txring: an AF_PACKET transmit by sendmmsg() against a PACKET_TX_RING,
#   CPU per frame (bench/txring/txring.c; docs/evpn-perf.md).
# Builds what it needs first: the generator (bench/gen/hvgen.c -> build/bench/hvgen)
# and, if missing, the project (npm run build).  Run as root on Debian 12.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
for a in "$@"; do
  if [ "$a" = --micro ]; then
    args=(); for b in "$@"; do [ "$b" = --micro ] || args+=("$b"); done
    exec bash "$here/micro.sh" "${args[@]+"${args[@]}"}"
  fi
done
# build/bench/<name> from bench/<src> when missing or older than its source
build_tool() {
  local out="$root/build/bench/$1" src="$here/$2"; shift 2
  if [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
    mkdir -p "$(dirname "$out")"
    gcc -O2 -std=gnu11 -Wall -Wextra -Werror -o "$out.tmp" "$src" "$@" && mv "$out.tmp" "$out"
  fi
}
for a in "$@"; do
  if [ "$a" = --wakeup ]; then
    build_tool wakeup wake/wakeup.c -pthread
    args=(); for b in "$@"; do [ "$b" = --wakeup ] || args+=("$b"); done
    exec "$root/build/bench/wakeup" "${args[@]+"${args[@]}"}"
  fi
done
for a in "$@"; do
  if [ "$a" = --txring ]; then
    # sendmmsg() against a PACKET_TX_RING for an AF_PACKET port's transmit
    # (bench/txring/txring.c; docs/evpn-perf.md): 3 interleaved rounds, 60 and
    # 1000 B frames, on CPU 1, into a veth pair in a namespace of its own.
    build_tool txring txring/txring.c
    ns="hvtxr$$"
    ip netns add "$ns"
    trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
    ip -n "$ns" link add ta0 type veth peer name ta1
    ip -n "$ns" link set ta0 up && ip -n "$ns" link set ta1 up
    for round in 1 2 3; do
      for len in 60 1000; do
        for how in sendmmsg ring; do ip netns exec "$ns" taskset -c 1 "$root/build/bench/txring" ta0 "$how" "$len" 1000000; done
      done
    done
    exit 0
  fi
done
for a in "$@"; do case "$a" in -h|--help|--list|--render) exec node "$here/lib/main.mjs" "$@";; esac; done
for a in "$@"; do
  if [ "$a" = --evpn-routes ]; then
    [ -f "$root/dist/src/daemon/main.js" ] && [ -f "$root/build/addon/Release/hvswitch.node" ] || (cd "$root" && npm run build)
    args=(); for b in "$@"; do [ "$b" = --evpn-routes ] || args+=("$b"); done
    exec node "$here/evpn/compare.mjs" "${args[@]+"${args[@]}"}"
  fi
done
if [ "$(id -u)" != 0 ]; then echo "bench: run as root (it creates network namespaces)" >&2; exit 1; fi
missing=()
for c in ip gcc iperf3 ping taskset ethtool trafgen; do command -v "$c" >/dev/null || missing+=("$c"); done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "bench: missing ${missing[*]}: installing the test dependencies" >&2
  bash "$root/scripts/install-deps.sh"
fi
[ -d "$root/node_modules" ] || (cd "$root" && npm install --no-audit --no-fund)
[ -f "$root/dist/src/daemon/main.js" ] && [ -f "$root/build/addon/Release/hvswitch.node" ] || (cd "$root" && npm run build)
build_tool hvgen gen/hvgen.c
build_tool wakeup wake/wakeup.c -pthread
gen="$root/build/bench/hvgen"
# the vpn-encap scenario's stand-in for PE B's data plane (bench/gen/udpsink.c)
build_tool udpsink gen/udpsink.c
sink="$root/build/bench/udpsink"
HVGEN="$gen" HVUDPSINK="$sink" exec node "$here/lib/main.mjs" "$@"
