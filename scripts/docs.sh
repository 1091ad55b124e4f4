#!/usr/bin/env bash
# Regenerates docs/events.md and docs/api.md from the protos' comments
# (tools/protodoc). Run it after changing a .proto; protodoc_test fails
# while the committed documents differ from what it writes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${PMO_BUILD_DIR:-$root/build}"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
# Only the generator and the descriptor set, not the whole tree.
ninja -C "$build" -j "${PMO_BUILD_JOBS:-2}" protodoc protodoc_descriptors >/dev/null
"$build/bin/protodoc" --descriptor_set "$build/protodoc/pmo_descriptors.binpb" \
  --events_out "$root/docs/events.md" --api_out "$root/docs/api.md"
