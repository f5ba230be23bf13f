#!/usr/bin/env bash
# npm run bench -- [options]: hvswitch side by side with the Linux bridge and
# Open vSwitch in network namespaces (bench/lib/main.mjs; --help for options).
# npm run bench -- --micro: the C and TypeScript micro-benchmarks (bench/micro.sh).
# npm run bench -- --evpn-routes: EVPN routes -> FDB, hvswitch beside FRR (bench/evpn/compare.mjs).
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
gen="$root/build/bench/hvgen"
if [ ! -x "$gen" ] || [ "$here/gen/hvgen.c" -nt "$gen" ]; then
  mkdir -p "$(dirname "$gen")"
  gcc -O2 -std=gnu11 -Wall -Wextra -Werror -o "$gen.tmp" "$here/gen/hvgen.c" && mv "$gen.tmp" "$gen"
fi
# the vpn-encap scenario's stand-in for PE B's data plane (bench/gen/udpsink.c)
sink="$root/build/bench/udpsink"
if [ ! -x "$sink" ] || [ "$here/gen/udpsink.c" -nt "$sink" ]; then
  gcc -O2 -std=gnu11 -Wall -Wextra -Werror -o "$sink.tmp" "$here/gen/udpsink.c" && mv "$sink.tmp" "$sink"
fi
HVGEN="$gen" HVUDPSINK="$sink" exec node "$here/lib/main.mjs" "$@"
