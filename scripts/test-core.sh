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
