#!/usr/bin/env bash
# Sets up, builds and starts the platform in its embedded default: the
# all-in-one `pmo` on 127.0.0.1:50051 with its data in ./pmo-data (no Kafka,
# no Java). Stop it with Ctrl-C; start it again and everything is still there.
#
#   scripts/run.sh [pmo flags, e.g. --listen 127.0.0.1:6000 --data_dir /var/lib/pmo]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh" --no-kafka
bash "$root/scripts/build.sh"
echo "run: try  $root/build/bin/pmoctl projects create --code ERP --name 'ERP rollout' --manager alice --start 2027-01-04 --end 2027-12-17"
exec "$root/build/bin/pmo" "$@"
