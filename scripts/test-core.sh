#!/usr/bin/env bash
# Builds the C core and its unit tests under AddressSanitizer + UndefinedBehaviorSanitizer
# (warnings are errors, -O2 -g) and runs them with ctest.  Long randomized
# tests run a fifth of their steps there (HV_TEST_STEPS); `cmake -S . -B build/plain`
# builds them unsanitized at full length.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build/core-san -DHV_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/core-san -j2
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/core-san --output-on-failure
# The threaded tests once more, unsanitized: ASan's quarantine never hands a
# freed address back to malloc, so a use after free that depends on the
# address coming back (a worker taking a new view for the one freed under it)
# is seen only here (test_bond_threads segfaults without the fix).
cmake -S . -B build/core-plain -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/core-plain -j2 --target test_bond_threads test_threads
ctest --test-dir build/core-plain --output-on-failure -R '^test_(bond_)?threads$'
