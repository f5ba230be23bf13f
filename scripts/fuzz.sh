#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for
# ${FUZZ_SECONDS:-20} seconds from its corpus (native/fuzz/corpus-<name>/, grown
# in a scratch copy).  Any crash fails the run; the crashing input is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
CC=clang cmake -S . -B build/fuzz -DHV_FUZZ=ON -DHV_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/fuzz -j2 >/dev/null
mkdir -p build/fuzz/logs
for src in native/fuzz/fuzz_*.c; do
  name=$(basename "$src" .c)
  bin=build/fuzz/$name
  work=$(mktemp -d)
  [ -d "native/fuzz/corpus-$name" ] && cp -r "native/fuzz/corpus-$name/." "$work/"
  echo "fuzz: $name for ${FUZZ_SECONDS:-20}s"
  set +e
  "$bin" -max_total_time="${FUZZ_SECONDS:-20}" -print_final_stats=1 -artifact_prefix=build/fuzz/logs/"$name"- "$work" \
    > "build/fuzz/logs/$name.log" 2>&1
  rc=$?
  set -e
  grep -E "stat::number_of_executed_units|ERROR|SUMMARY" "build/fuzz/logs/$name.log" || true
  [ "$rc" = 0 ] || { echo "fuzz: $name found a failure (input saved under build/fuzz/logs/$name-*), log: build/fuzz/logs/$name.log"; exit 1; }
  rm -rf "$work"
done
