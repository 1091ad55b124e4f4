# pmo: the all-in-one binary (every service on one port, SQLite files in
# /var/lib/pmo, no Kafka), plus pmoctl. Needs pmo-build:dev and
# pmo-runtime:dev (deploy/docker/base.Dockerfile).
ARG PMO_BUILD_IMAGE=pmo-build:dev
ARG PMO_RUNTIME_IMAGE=pmo-runtime:dev
FROM ${PMO_BUILD_IMAGE} AS build

FROM ${PMO_RUNTIME_IMAGE}
COPY --from=build /src/build/bin/pmo /src/build/bin/pmoctl /usr/local/bin/
USER 10001:10001
EXPOSE 50051
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD ["pmo-healthcheck", "--addr", "127.0.0.1:50051"]
ENTRYPOINT ["pmo", "--data_dir", "/var/lib/pmo"]
