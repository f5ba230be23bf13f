#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) and runs each for
# ${FUZZ_SECONDS:-20} seconds from its corpus (native/fuzz/corpus-<name>/, grown
# in a scratch copy).  Any crash fails the run; the crashing input is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
CC=clang cmake -S . -B build/fuzz -DHV_FUZZ=ON -DHV_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/fuzz -j2 >/dev/null
for bin in build/fuzz/fuzz_*; do
  name=$(basename "$bin")
  work=$(mktemp -d)
  [ -d "native/fuzz/corpus-$name" ] && cp -r "native/fuzz/corpus-$name/." "$work/"
  echo "fuzz: $name for ${FUZZ_SECONDS:-20}s"
  set +e
  "$bin" -max_total_time="${FUZZ_SECONDS:-20}" -print_final_stats=1 -artifact_prefix=build/fuzz/"$name"- "$work" \
    > "build/fuzz/$name.log" 2>&1
  rc=$?
  set -e
  grep -E "stat::number_of_executed_units|ERROR|SUMMARY" "build/fuzz/$name.log" || true
  [ "$rc" = 0 ] || { echo "fuzz: $name found a failure (input saved under build/fuzz/$name-*), log: build/fuzz/$name.log"; exit 1; }
  rm -rf "$work"
done
