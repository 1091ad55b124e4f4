#!/usr/bin/env bash
# Durable appends, ours beside PostgreSQL with the same guarantees, in one run
# on one machine (docs/benchmarks.md, "Storage baseline: PostgreSQL").
#
#   baseline  pgbench on a private cluster (scripts/postgres/cluster.sh;
#             fsync=on, synchronous_commit=on): one transaction per append,
#             inserting the client's stream's next version under a unique
#             (stream_id, stream_version) key; prepared statements; 1 client,
#             then 16 clients.
#   ours      pmo_bench BM_StoreAppend (SqliteEventStore, the embedded
#             default) and BM_PostgresStoreAppend (PostgresEventStore on the
#             same cluster), 1 and 16 threads.
#
#   scripts/bench/postgres_baseline.sh        (PMO_BENCH_SECONDS=10 per pgbench run)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${PMO_BUILD_DIR:-$root/build}"
seconds="${PMO_BENCH_SECONDS:-10}"
bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

work="$(mktemp -d /tmp/pmo-pgbench-XXXXXX)"
chmod 755 "$work"  # the cluster runs as the postgres user when we are root
cleanup() { bash "$root/scripts/postgres/cluster.sh" stop "$work/cluster"; rm -rf "$work"; }
trap cleanup EXIT
url="$(bash "$root/scripts/postgres/cluster.sh" start "$work/cluster")"

psql -q -v ON_ERROR_STOP=1 "$url" <<'SQL'
CREATE TABLE events (
  position        bigserial PRIMARY KEY,
  stream_id       text   NOT NULL,
  stream_version  bigint NOT NULL,
  payload         bytea  NOT NULL,
  UNIQUE (stream_id, stream_version)
);
SQL
# One append = the stream's next version (the unique key refuses a repeat),
# committed durably; each client owns its stream, as in BM_StoreAppend.
cat >"$work/append.sql" <<'SQL'
INSERT INTO events (stream_id, stream_version, payload)
  SELECT 'bench-' || :client_id, COALESCE(MAX(stream_version), 0) + 1,
         decode(repeat('70', 64), 'hex')
  FROM events WHERE stream_id = 'bench-' || :client_id;
SQL

echo "== PostgreSQL baseline (pgbench, $seconds s per run)"
for clients in 1 16; do
  threads=$(( clients < 2 ? 1 : 2 ))
  echo "-- clients=$clients"
  "$bindir/pgbench" -n -M prepared -f "$work/append.sql" -c "$clients" -j "$threads" \
      -T "$seconds" "$url" 2>&1 | grep -E "^(tps|latency average|number of transactions actually)"
done
psql -At "$url" -c "SELECT 'rows appended: ' || count(*) || ', streams: ' || count(DISTINCT stream_id) FROM events"

echo "== ours (pmo_bench)"
PMO_BENCH_POSTGRES_URL="$url" "$build/bin/pmo_bench" --benchmark_filter='StoreAppend' \
    --benchmark_format=console
