#!/usr/bin/env bash
# Runs clang-tidy (the checks in .clang-tidy at the root) over the product's
# sources: every translation unit of libs/, services/ and tools/ except
# tests, benchmarks and test support. Any warning fails the run.
#
#   scripts/tidy.sh                 all product sources
#   scripts/tidy.sh REGEX           only the files whose path matches REGEX
#
# It reads the compile commands of the build tree (scripts/build.sh makes it,
# with the generated protobuf headers the sources include).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${PMO_BUILD_DIR:-$root/build}"
[[ -f "$build/compile_commands.json" ]] || bash "$root/scripts/build.sh"
jobs="${PMO_TIDY_JOBS:-$(nproc)}"

# Tests, benchmarks and test support are left out: none of it ships, the
# gtest and gmock headers make them the slowest files to parse (all of them
# would about double the run), and a partial run over them found mostly
# bugprone-suspicious-missing-comma on argument lists that join
# PMO_BINARY_DIR "/bin/pmo" on purpose.
product="^$root/(libs|services|tools)/(?!.*(_test|_bench|_testing|_fuzz)\\.cc\$)(?!.*/testing/)"
files="${1:-$product}"
exec run-clang-tidy-14 -p "$build" -j "$jobs" -quiet "$files"
