#!/usr/bin/env bash
# Server reflection describes every service a server offers, gRPC's health
# service included, so any client (here `buf curl`, installed by set-up)
# can list and call methods without .proto files (README, the tour's step 4).
# Usage: reflection_test.sh PMO_BINARY BUF_BINARY
set -euo pipefail
pmo="$1"
buf="$2"
work="$(mktemp -d)"
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$pmo" --listen 127.0.0.1:0 --data_dir "$work/data" --metrics_listen "" >"$work/out" 2>"$work/err" &
pid=$!
port=""
for _ in $(seq 1 300); do
  port="$(sed -n 's/^pmo listening on port \([0-9]*\)$/\1/p' "$work/out")"
  [[ -n "$port" ]] && break
  kill -0 "$pid" 2>/dev/null || { echo "pmo exited:"; cat "$work/err"; exit 1; }
  sleep 0.1
done
[[ -n "$port" ]] || { echo "pmo printed no port in 30 s"; cat "$work/err"; exit 1; }

# --list-methods asks reflection for every service's descriptor: it failed
# while grpc.health.v1.Health had none.
timeout 60 "$buf" curl --protocol grpc --http2-prior-knowledge --list-methods \
  "http://127.0.0.1:$port" >"$work/methods"
for method in grpc.health.v1.Health/Check grpc.health.v1.Health/Watch \
              pmo.projects.v1.ProjectsService/CreateProject \
              pmo.projection.v1.ConsolidatedViewsService/GetResourceLoad \
              pmo.reporting.v1.ReportsService/GetReport; do
  grep -qx "$method" "$work/methods" || { echo "not listed: $method"; cat "$work/methods"; exit 1; }
done

# And a call through reflection alone.
timeout 60 "$buf" curl --protocol grpc --http2-prior-knowledge -d '{}' \
  "http://127.0.0.1:$port/grpc.health.v1.Health/Check" >"$work/health"
grep -q '"status": "SERVING"' "$work/health" || { echo "health answer:"; cat "$work/health"; exit 1; }
echo "reflection lists $(wc -l <"$work/methods") methods, health included; Check answers SERVING"
