#!/usr/bin/env bash
# Our commands against the echo baseline, measured in the same run.
#
# Starts the all-in-one `pmo` on a fresh temporary data directory and
# `pmo-bench serve-echo`, both on 127.0.0.1 with any free port; then, for a
# few rounds, runs the echo baseline and each workload at the same
# concurrency, one after another (the order rotates every round, so no
# workload always runs on a warmer or a more tired machine); stops what it
# started, by pid; prints a markdown table of medians and of each
# workload's throughput as a ratio to the echo run of the same round, with
# the CPU time the server and the load generator spent per request (client
# and server share the machine's cores, so CPU per request bounds the
# closed-loop throughput).
#
#   scripts/bench/compare.sh [--concurrency 16] [--duration 10s] [--rounds 3]
#                            [--workloads "create-project mixed"] [--keep DIR]
#
# Needs the build (pmo, pmo-bench; PMO_BUILD_DIR, default build/) and jq.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${PMO_BUILD_DIR:-$root/build}/bin"
concurrency=16
duration=10s
rounds=3
workloads="create-project mixed"
keep=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --concurrency) concurrency="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --workloads) workloads="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    *) echo "compare.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
for tool in "$bin/pmo" "$bin/pmo-bench"; do
  [[ -x "$tool" ]] || { echo "compare.sh: $tool not built" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "compare.sh: jq is required" >&2; exit 1; }

work="$(mktemp -d /tmp/pmo-compare-XXXXXX)"
pids=()
cleanup() {
  # Only what this script started, by pid: SIGTERM, then wait for each.
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n "$keep" ]]; then mkdir -p "$keep" && cp "$work"/*.json "$keep"/ 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Waits up to 30 s for "<name> listening on port N" in a server's stdout.
port_of() {
  local out="$1"
  for _ in $(seq 300); do
    if grep -q 'listening on port' "$out" 2>/dev/null; then
      sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$out" | head -1
      return 0
    fi
    sleep 0.1
  done
  echo "compare.sh: no port in $out" >&2
  return 1
}

# CPU seconds (user + system) a process has used so far, from /proc.
cpu_seconds() {
  local ticks
  ticks="$(awk '{print $14 + $15}' "/proc/$1/stat")"
  echo "$ticks $(getconf CLK_TCK)" | awk '{printf "%.6f", $1 / $2}'
}

# Request logging off: a log line per RPC on stderr would be most of the cost.
"$bin/pmo" --listen 127.0.0.1:0 --data_dir "$work/data" --log_requests=false \
  >"$work/pmo.out" 2>"$work/pmo.err" &
pids+=("$!")
"$bin/pmo-bench" serve-echo >"$work/echo.out" 2>"$work/echo.err" &
pids+=("$!")
pmo_pid="${pids[0]}"
echo_pid="${pids[1]}"
pmo_port="$(port_of "$work/pmo.out")"
echo_port="$(port_of "$work/echo.out")"

all=(echo $workloads)
for ((round = 1; round <= rounds; round++)); do
  # Rotate the order: round r starts with workload r mod n.
  n=${#all[@]}
  for ((i = 0; i < n; i++)); do
    w="${all[$(((i + round - 1) % n))]}"
    port="$pmo_port"
    server="$pmo_pid"
    if [[ "$w" == echo ]]; then port="$echo_port"; server="$echo_pid"; fi
    echo "round $round/$rounds: $w" >&2
    server_before="$(cpu_seconds "$server")"
    TIMEFORMAT='%U %S'
    { time "$bin/pmo-bench" run --workload="$w" --target="127.0.0.1:$port" \
        --concurrency="$concurrency" --duration="$duration" --output=json \
        >"$work/round$round-$w.report" ; } 2>"$work/round$round-$w.time"
    server_after="$(cpu_seconds "$server")"
    # The report plus the CPU seconds each side spent during the run (the
    # client's include its unmeasured set-up, small beside the run).
    jq --argjson server "$(echo "$server_after $server_before" | awk '{print $1 - $2}')" \
       --argjson client "$(awk '{print $1 + $2}' "$work/round$round-$w.time")" \
       '. + {server_cpu_seconds: $server, client_cpu_seconds: $client}' \
       "$work/round$round-$w.report" >"$work/round$round-$w.json"
  done
done

load="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "### ${workloads// / and } vs the echo baseline"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load average $load at the end;" \
     "concurrency $concurrency, closed loop, $duration per run, $rounds interleaved rounds;" \
     "figures are medians over the rounds."
echo
echo "| Workload | Throughput /s | p50 µs | p90 µs | p99 µs | p99.9 µs | Errors | Server CPU µs/req | Client CPU µs/req | Ratio to echo | Ratios per round |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for w in "${all[@]}"; do
  files=()
  ratios=()
  for ((round = 1; round <= rounds; round++)); do
    files+=("$work/round$round-$w.json")
    ratios+=("$(jq -n --slurpfile a "$work/round$round-$w.json" \
      --slurpfile e "$work/round$round-echo.json" \
      '$a[0].throughput_per_second / $e[0].throughput_per_second')")
  done
  jq -rs --argjson ratios "[$(IFS=,; echo "${ratios[*]}")]" --arg w "$w" '
    def median: sort | if length % 2 == 1 then .[length / 2 | floor]
                       else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    def m(f): map(f) | median;
    "| `\($w)` | \(m(.throughput_per_second) | round) | \(m(.latency.p50_us) | round)" +
    " | \(m(.latency.p90_us) | round) | \(m(.latency.p99_us) | round)" +
    " | \(m(.latency.p999_us) | round)" +
    " | \(map((.requests | tonumber) - (.successes | tonumber)) | add)" +
    " | \(m(.server_cpu_seconds * 1e6 / (.requests | tonumber)) | round)" +
    " | \(m(.client_cpu_seconds * 1e6 / (.requests | tonumber)) | round)" +
    " | \(if $w == "echo" then "1" else ($ratios | median * 1000 | round / 1000 | tostring) end)" +
    " | \($ratios | map(. * 1000 | round / 1000 | tostring) | join(", ")) |"
  ' "${files[@]}"
done
