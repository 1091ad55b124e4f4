#!/usr/bin/env bash
# Installs everything the platform needs on Debian 12. Idempotent: a second
# run only checks and finishes in seconds.
#
#   scripts/setup.sh            build dependencies, googleapis protos, buf, Kafka jars
#   scripts/setup.sh --no-kafka the same without Java, the Kafka broker jars
#                               and the deployment checks' tools (enough to
#                               build and run the services, e.g. in an image)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
with_kafka=1
[[ "${1:-}" == "--no-kafka" ]] && with_kafka=0

sudo_if_needed() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# --- Debian packages -------------------------------------------------------
packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev librdkafka-dev libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev sqlite3 libssl-dev openssl
  # The scale-out event store (libpq) and the local PostgreSQL its tests and
  # benchmarks start (scripts/postgres/cluster.sh; pgbench comes with it).
  libpq-dev postgresql postgresql-contrib
  # The reporting service posts webhooks with it.
  libcurl4-openssl-dev
  # The HTTP(S) listener of /metrics and the web dashboard
  # (libs/operability/http_server): cpp-httplib, a compiled library with
  # OpenSSL support and a pkg-config file in Debian.
  libcpp-httplib-dev
  # JSON (header-only): bearer tokens and JWKS files are read with it, and
  # JSON strings written with it.
  nlohmann-json3-dev
  # The analytics consumer example (examples/analytics) decodes events with it.
  python3-protobuf
  # The web dashboard's browser test (tests/dashboard_chromium_test.cc) runs
  # headless Chromium.
  chromium
  # The libFuzzer targets (scripts/fuzz.sh): clang and its fuzzer and
  # sanitizer runtimes.
  clang libclang-rt-14-dev
  # The style checks: scripts/format.sh (also a test) and scripts/tidy.sh.
  clang-format-14 clang-tidy-14
)
# A machine may carry its own Node or Java outside Debian's packages: use it.
command -v npm >/dev/null || packages+=(nodejs npm)
if (( with_kafka )); then
  # kcat lets broker.sh confirm the broker answers metadata requests.
  packages+=(kcat)
  # The analytics consumer example reads the events topics with it.
  packages+=(python3-confluent-kafka)
  command -v java >/dev/null || packages+=(default-jre-headless)
  command -v mvn >/dev/null || packages+=(maven)
  # The deployment checks (tests/deploy): docker-compose validates
  # docker-compose.yml (it brings python3-yaml, which the checks read with);
  # Go builds kustomize (below). A machine may carry a newer Go than
  # Debian's 1.19: use it.
  packages+=(docker-compose python3-yaml)
  command -v go >/dev/null || packages+=(golang-go)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} > 0 )); then
  echo "setup: installing ${missing[*]}"
  sudo_if_needed apt-get update -qq
  DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- googleapis protos and buf, from npm (fetched, never committed) --------
deps="$root/.deps"
if [[ ! -f "$deps/googleapis/.complete" || ! -x "$deps/node_modules/.bin/buf" ]]; then
  echo "setup: fetching google-proto-files and buf"
  mkdir -p "$deps"
  (cd "$deps" && npm install --no-audit --no-fund --silent --prefix "$deps" \
      google-proto-files@5.0.3 @bufbuild/buf@1.75.0 >/dev/null)
  rm -rf "$deps/googleapis"
  mkdir -p "$deps/googleapis/google"
  # Only what the contracts import: a small include root for protoc and buf.
  cp -r "$deps/node_modules/google-proto-files/google/rpc" \
        "$deps/node_modules/google-proto-files/google/type" "$deps/googleapis/google/"
  touch "$deps/googleapis/.complete"
fi

# --- kustomize, to render deploy/kubernetes in tests (not a Debian package) --
# Built once from its Go module into .deps/bin; v5.0.3 still builds with
# Debian's Go 1.19.
# (A module build reports its version as "(devel)": a stamp file says which.)
kustomize_version=v5.0.3
if (( with_kafka )) && [[ ! -x "$deps/bin/kustomize" || ! -f "$deps/bin/.kustomize-$kustomize_version" ]]; then
  echo "setup: building kustomize $kustomize_version"
  mkdir -p "$deps/bin"
  GOBIN="$deps/bin" GOFLAGS=-buildvcs=false go install \
      "sigs.k8s.io/kustomize/kustomize/v5@$kustomize_version"
  touch "$deps/bin/.kustomize-$kustomize_version"
fi

# --- Apache Kafka broker jars (tests and local multi-process runs) ---------
if (( with_kafka )); then
  bash "$root/scripts/kafka/fetch.sh" >/dev/null
fi
echo "setup: done"
