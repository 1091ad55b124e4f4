#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite. Tests that need Kafka start
# and stop their own single-node broker (scripts/kafka/broker.sh); nothing is
# left running. Long soak tests carry the label `soak` and are left out;
# run them with: ctest --test-dir build -L soak
#
#   scripts/test.sh [extra ctest arguments]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh"
cd "${PMO_BUILD_DIR:-$root/build}"
ctest --output-on-failure -j 2 -LE soak "$@"
