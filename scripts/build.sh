#!/usr/bin/env bash
# Configures (once) and builds the whole tree with Ninja into build/.
# ccache keeps rebuilds after a small change fast.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${PMO_BUILD_DIR:-$root/build}"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
# Two jobs: the machines have two cores and gRPC headers are heavy.
ninja -C "$build" -j "${PMO_BUILD_JOBS:-2}"
