#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) in their own clang tree, with
# AddressSanitizer and UndefinedBehaviorSanitizer, and runs each for a while.
# The main GCC build (build/) is not touched.
#
#   scripts/fuzz.sh                      every target for 10 s (what ctest's fuzz_smoke runs)
#   scripts/fuzz.sh --seconds 600        a longer run (docs/reliability.md)
#   scripts/fuzz.sh --seconds 60 cloudevents_headers_fuzzer
#   scripts/fuzz.sh --build-only
#
# Environment: PMO_FUZZ_BUILD_DIR (default build-fuzz/), PMO_BUILD_JOBS (2).
# The corpus grows in <build dir>/corpus/<target>/ and is kept between runs;
# a crash leaves its input in <build dir>/artifacts/ and fails the script.
# A crash found becomes a regression: its input goes to
# fuzz/regressions/<target>/, which every run replays first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${PMO_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds=10
build_only=0
targets=()
while (($#)); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --build-only) build_only=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
((${#targets[@]})) || targets=(cloudevents_headers_fuzzer projection_events_fuzzer grpc_requests_fuzzer bearer_token_fuzzer)

command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ missing (scripts/setup.sh installs it)" >&2; exit 1; }
if [[ ! -f "$build/build.ninja" ]]; then
  # -O1 with line tables: sanitizer reports with file:line, at half the
  # compile time of full debug information.
  cmake -S "$root" -B "$build" -G Ninja -DPMO_FUZZ=ON \
    -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Fuzz \
    -DCMAKE_CXX_FLAGS_FUZZ="-O1 -gline-tables-only" >/dev/null
fi
ninja -C "$build" -j "${PMO_BUILD_JOBS:-2}" "${targets[@]}"
((build_only)) && exit 0

# Leaks: the targets keep one platform (stores, server) for the whole run on
# purpose; gRPC's own start-up allocations would be reported as leaks too.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# The targets' SQLite files: on a RAM file system when there is one, and
# gone when the script ends.
scratch="$(mktemp -d /dev/shm/pmo-fuzz.XXXXXX 2>/dev/null || mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export PMO_FUZZ_DATA_DIR="$scratch"
failed=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  artifacts="$build/artifacts"
  mkdir -p "$corpus" "$artifacts"
  if [[ -z "$(ls -A "$corpus")" && ( "$t" == grpc_requests_fuzzer || "$t" == bearer_token_fuzzer ) ]]; then
    PMO_FUZZ_WRITE_SEEDS="$corpus" "$build/bin/$t" >/dev/null 2>&1
  fi
  regressions="$root/fuzz/regressions/$t"
  if [[ -d "$regressions" && -n "$(ls -A "$regressions")" ]]; then
    echo "fuzz.sh: $t: replaying $(ls "$regressions" | wc -l) regression inputs"
    "$build/bin/$t" -runs=0 "$regressions"/* >"$build/$t.regressions.log" 2>&1 ||
      { echo "fuzz.sh: $t fails on a regression input:"; tail -40 "$build/$t.regressions.log"; failed=1; continue; }
  fi
  log="$build/$t.log"
  if "$build/bin/$t" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=3072 \
      -print_final_stats=1 -artifact_prefix="$artifacts/$t-" "$corpus" >"$log" 2>&1; then
    runs="$(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')"
    cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)"
    echo "fuzz.sh: $t: ${seconds}s, $runs inputs, $cov, corpus $(ls "$corpus" | wc -l) files: no finding"
  else
    echo "fuzz.sh: $t FOUND A PROBLEM (log: $log):"
    grep -E 'ERROR|SUMMARY|runtime error|answered|round trip|projection:|Test unit written' "$log" | head -20
    failed=1
  fi
done
exit "$failed"
