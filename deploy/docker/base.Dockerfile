# The two stages every PMO image shares, built once and tagged:
#
#   docker build -f deploy/docker/base.Dockerfile --target build   -t pmo-build:dev .
#   docker build -f deploy/docker/base.Dockerfile --target runtime -t pmo-runtime:dev .
#
# deploy/docker/build-images.sh runs both, then the per-service Dockerfiles
# (deploy/docker/<service>.Dockerfile), which copy one binary from pmo-build
# onto pmo-runtime. The build is the README's: scripts/setup.sh, then
# scripts/build.sh, on Debian 12 like the development machines.

FROM debian:12 AS build
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends \
      build-essential cmake ninja-build ccache pkg-config git ca-certificates \
      libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler \
      libabsl-dev librdkafka-dev libgtest-dev libgmock-dev libbenchmark-dev \
      libsqlite3-dev sqlite3 libssl-dev libpq-dev nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN bash scripts/setup.sh --no-kafka && bash scripts/build.sh

# Runtime: Debian's shared libraries only, no compiler, no shell tools
# beyond debian-slim's; a system user `pmo` (uid 10001) owns the data folder.
# libcpp-httplib0.11 serves /metrics and the web dashboard.
FROM debian:12-slim AS runtime
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends \
      libgrpc++1.51 libprotobuf32 libabsl20220623 librdkafka++1 libsqlite3-0 \
      libssl3 libpq5 libcpp-httplib0.11 ca-certificates && rm -rf /var/lib/apt/lists/* && \
    useradd --system --uid 10001 --user-group --home-dir /var/lib/pmo pmo && \
    mkdir -p /var/lib/pmo && chown pmo:pmo /var/lib/pmo
COPY --from=build /src/build/bin/pmo-healthcheck /usr/local/bin/
USER 10001:10001
WORKDIR /var/lib/pmo
VOLUME /var/lib/pmo
