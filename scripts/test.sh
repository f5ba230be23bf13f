#!/usr/bin/env bash
# The test command: C core tests under ASan/UBSan, vitest unit tests, then the
# namespace/interop tests (root; real veth, TAP, tcpdump, gobgpd, FRR).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ]; then bash scripts/install-deps.sh; fi
[ -d node_modules ] || npm ci
[ -f build/addon/Release/hvswitch.node ] && [ -d dist ] || npm run build
npx tsc -p tsconfig.test.json # type-checks the tests too (the build covers src/ and bench/ only)
bash scripts/test-core.sh
bash scripts/fuzz.sh
npx vitest run --project unit
npx vitest run --project netns
