#!/usr/bin/env bash
# Runs clang-tidy (the checks in .clang-tidy at the root) over the project's
# translation units: libs/, services/, tools/ and the tests, benchmarks,
# examples and test support beside them. Any warning fails the run.
#
#   scripts/tidy.sh                 every translation unit
#   scripts/tidy.sh --product       the product only (no tests, benchmarks,
#                                   test support)
#   scripts/tidy.sh REGEX           only the files whose path matches REGEX
#
# It reads the compile commands of the build tree (scripts/build.sh makes it,
# with the generated protobuf headers the sources include).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${PMO_BUILD_DIR:-$root/build}"
[[ -f "$build/compile_commands.json" ]] || bash "$root/scripts/build.sh"
jobs="${PMO_TIDY_JOBS:-$(nproc)}"
# Sources of this repository only: the build tree's generated code and the
# fetched .deps/ are not ours to fix.
all="^$root/(libs|services|tools|tests|benchmarks|examples)/"
product="^$root/(libs|services|tools)/(?!.*(_test|_bench|_testing|_fuzz)\\.cc\$)(?!.*/testing/)"
case "${1:-}" in
  "") files="$all" ;;
  --product) files="$product" ;;
  *) files="$1" ;;
esac
exec run-clang-tidy-14 -p "$build" -j "$jobs" -quiet "$files"
