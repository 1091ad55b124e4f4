#!/usr/bin/env bash
# A private PostgreSQL cluster for tests and benchmarks, from Debian's
# postgresql package: initdb into DIR, listening on 127.0.0.1 at a free port
# with its unix socket inside DIR. Default durability (fsync=on,
# synchronous_commit=on): a commit that returns is on disk.
#
#   scripts/postgres/cluster.sh start DIR   prints the URL, also in DIR/url
#   scripts/postgres/cluster.sh stop DIR    stops it and removes DIR
#
# initdb and postgres refuse to run as root, so as root the cluster runs as
# the `postgres` user (created by the package) and DIR is handed to it (or,
# if that user cannot reach DIR, e.g. under /root, a temp dir in /tmp that
# DIR/home names; stop removes it too).
set -euo pipefail

cmd="${1:?usage: cluster.sh start|stop DIR}"
dir="$(realpath -m "${2:?usage: cluster.sh start|stop DIR}")"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[[ -x "$bindir/initdb" ]] || { echo "cluster.sh: PostgreSQL server not installed (scripts/setup.sh)" >&2; exit 1; }

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The cluster's home: DIR itself, or, when the postgres user cannot reach DIR
# (a checkout under /root), a temp dir of its own that DIR/home names.
home_of() { cat "$dir/home" 2>/dev/null || echo "$dir"; }

case "$cmd" in
  start)
    if [[ -f "$dir/url" ]] && as_owner "$bindir/pg_ctl" -D "$(home_of)/data" status >/dev/null 2>&1; then
      cat "$dir/url"; exit 0
    fi
    [[ -f "$dir/home" ]] && rm -rf "$(home_of)"
    rm -rf "$dir"
    mkdir -p "$dir"
    home="$dir"
    if [[ $(id -u) -eq 0 ]]; then
      chown postgres: "$dir"
      if ! runuser -u postgres -- test -w "$dir"; then
        home="$(mktemp -d /tmp/pmo-postgres-XXXXXX)"
        chown postgres: "$home"
        echo "$home" >"$dir/home"
      fi
    fi
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_owner "$bindir/initdb" -D "$home/data" -U pmo -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    cat >>"$home/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$home'
max_connections = 200
fsync = on
synchronous_commit = on
CONF
    as_owner "$bindir/pg_ctl" -D "$home/data" -l "$home/server.log" -w -t 60 start >/dev/null ||
      { cat "$home/server.log" >&2; exit 1; }
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U pmo pmo
    echo "postgresql://pmo@127.0.0.1:$port/pmo" >"$dir/url"
    cat "$dir/url"
    ;;
  stop)
    home="$(home_of)"
    if [[ -d "$home/data" ]]; then
      as_owner "$bindir/pg_ctl" -D "$home/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$home" "$dir"
    ;;
  *) echo "usage: cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
