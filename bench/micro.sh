#!/usr/bin/env bash
# Micro-benchmarks, all of them: the C core's (native/bench/bench_*.c: parser,
# FDB, FIB, and any added later; built with -DHV_BENCH=ON against hvcore, -O2,
# Release) and the TypeScript hot paths (bench/ts/*.bench.mjs, `benchmark`
# package, over dist/).  Each runs pinned to one CPU (MICRO_CPU, default 1).
# Output on the terminal and in bench/results/micro/latest.txt.
# Usage: bash bench/micro.sh [--quick] [--only NAME]   (or: npm run bench -- --micro)
#   --quick      smaller tables and fewer runs (a smoke test, not figures)
#   --only NAME  run only the benchmarks whose name contains NAME (e.g. fdb, bgp)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
quick=0 only=
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --only) only=$2; shift ;;
    *) echo "micro: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
cpu=${MICRO_CPU:-1}
pin=(taskset -c "$cpu")
command -v taskset >/dev/null || pin=()
build="$root/build/bench-micro"
out="$root/bench/results/micro"
mkdir -p "$out"
log="$out/latest.txt.tmp"
: > "$log"
say() { echo "$@" | tee -a "$log"; }

cmake -S "$root" -B "$build" -DHV_BENCH=ON -DHV_TESTS=OFF -DHV_SANITIZE=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 >/dev/null
say "# hvswitch micro-benchmarks, $(date -u +%Y-%m-%dT%H:%M:%SZ), git $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
say "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), kernel $(uname -r); pinned to CPU $cpu; load $(cut -d' ' -f1-3 /proc/loadavg)"
[ $quick = 1 ] && say "# --quick: small tables, few runs: a smoke test, not figures"

# Arguments per C benchmark in --quick mode; unknown ones run with their defaults.
quick_args() {
  case "$1" in
    bench_parse) echo "2000000 3" ;;
    bench_fdb) echo "1000 100000" ;;
    bench_fib) echo "100000 20000 1000000" ;;
  esac
}
status=0
for b in "$build"/bench_*; do
  [ -x "$b" ] || continue
  name=$(basename "$b")
  [ -n "$only" ] && [[ $name != *"$only"* ]] && continue
  args=()
  [ $quick = 1 ] && read -r -a args <<< "$(quick_args "$name")"
  say ""
  say "## $name ${args[*]+"${args[*]}"}"
  if ! "${pin[@]}" "$b" "${args[@]+"${args[@]}"}" 2>&1 | tee -a "$log"; then
    say "!! $name failed"; status=1
  fi
done

[ -f "$root/dist/src/bgp/codec/message/index.js" ] || (cd "$root" && npm run build:ts >/dev/null)
for t in "$here"/ts/*.bench.mjs; do
  name=$(basename "$t" .bench.mjs)
  [ -n "$only" ] && [[ $name != *"$only"* ]] && continue
  say ""
  say "## ts/$name"
  if ! "${pin[@]}" node "$t" 2>&1 | tee -a "$log"; then say "!! ts/$name failed"; status=1; fi
done
mv "$log" "$out/latest.txt"
echo ""
echo "written: ${out#"$root"/}/latest.txt"
exit $status
