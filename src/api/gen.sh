#!/usr/bin/env bash
# Regenerates src/api/gen/ (TypeScript types of proto/hvswitch/v1/*.proto) with
# @grpc/proto-loader's generator.  The output is committed; the unit test
# test/unit/api-proto.test.ts fails if it is stale.  Usage: src/api/gen.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-src/api/gen}
rm -rf "$out"
node node_modules/@grpc/proto-loader/build/bin/proto-loader-gen-types.js \
  --longs Number --enums String --defaults --oneofs --includeComments \
  --grpcLib @grpc/grpc-js --importFileExtension .js \
  -I proto -O "$out" \
  hvswitch/v1/l2.proto hvswitch/v1/switch.proto hvswitch/v1/daemon.proto hvswitch/v1/l3.proto hvswitch/v1/routing.proto hvswitch/v1/bgp.proto >/dev/null
