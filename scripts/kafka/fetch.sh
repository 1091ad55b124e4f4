#!/usr/bin/env bash
# Resolve the Apache Kafka broker jars (kafka_2.13 plus its runtime classpath) into one folder.
#
# Usage: scripts/kafka/fetch.sh [DEST]
#   DEST defaults to $HOME/.cache/pmo/kafka-<version>.
#   KAFKA_VERSION overrides the version (default: the one pinned below, same as pom.xml).
# Prints DEST as its last line of output; `java -cp "DEST/*" kafka.Kafka ...` runs the broker.
# Idempotent: once DEST holds a complete copy (stamp file), it returns immediately.
set -euo pipefail

# Keep in step with <kafka.version> in pom.xml. 4.4.0 is the newest release checked against
# Debian 12's librdkafka 2.0.2 (idempotent produce, group consume with manual commits, metadata,
# broker restart); 4.3.1, 4.2.2, 4.1.2, 4.0.2 and 3.9.2 passed the same checks. Avoid 4.0.0.
DEFAULT_KAFKA_VERSION=4.4.0

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="${KAFKA_VERSION:-$DEFAULT_KAFKA_VERSION}"
dest="${1:-$HOME/.cache/pmo/kafka-$version}"
stamp="$dest/.pmo-kafka-complete"

# Fast path: no JVM, no Maven.
if [[ -f "$stamp" ]]; then
  have="$(<"$stamp")"
  if [[ "$have" != "$version" ]]; then
    echo "fetch.sh: $dest already holds Kafka $have, not $version; use another DEST" >&2
    exit 1
  fi
  echo "$dest"
  exit 0
fi

command -v mvn >/dev/null || { echo "fetch.sh: mvn not found (apt-get install -y maven)" >&2; exit 1; }

mkdir -p "$dest"
dest="$(cd "$dest" && pwd)"
stamp="$dest/.pmo-kafka-complete"

# Serialise concurrent fetches into the same DEST; the loser finds the stamp afterwards.
exec 9>"$dest/.lock"
flock 9
if [[ ! -f "$stamp" ]]; then
  # 3.9.x declares its log4j 1 binding for compilation only; 4.x uses log4j 2 (default profile).
  profile=()
  [[ "$version" == 3.* ]] && profile=(-P reload4j)
  echo "fetch.sh: resolving org.apache.kafka:kafka_2.13:$version into $dest" >&2
  # Maven writes target/ next to the pom; keep that out of the source tree.
  build_dir="$(mktemp -d)"
  trap 'rm -rf "$build_dir"' EXIT
  # Maven's output is kept for a failure only (-q still prints stray colour codes on success).
  if ! mvn -B -q -Dstyle.color=never -f "$here/pom.xml" "${profile[@]}" \
    -Dkafka.version="$version" -Doutput.dir="$dest" -Dbuild.dir="$build_dir" \
    dependency:copy-dependencies </dev/null >"$build_dir/mvn.log" 2>&1; then
    cat "$build_dir/mvn.log" >&2
    echo "fetch.sh: mvn failed to resolve org.apache.kafka:kafka_2.13:$version" >&2
    exit 1
  fi
  ls "$dest"/kafka_2.13-"$version".jar >/dev/null   # sanity: the broker jar is there
  echo "$version" >"$stamp.tmp"
  mv "$stamp.tmp" "$stamp"
fi
echo "$dest"
