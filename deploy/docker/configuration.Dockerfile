# pmo-configuration: configuration items, change control, the PMO library, tools, quality.
# Needs pmo-build:dev and pmo-runtime:dev (deploy/docker/base.Dockerfile);
# deploy/docker/build-images.sh builds them first.
ARG PMO_BUILD_IMAGE=pmo-build:dev
ARG PMO_RUNTIME_IMAGE=pmo-runtime:dev
FROM ${PMO_BUILD_IMAGE} AS build

FROM ${PMO_RUNTIME_IMAGE}
COPY --from=build /src/build/bin/pmo-configuration /usr/local/bin/
USER 10001:10001
# gRPC, then Prometheus /metrics (--metrics_listen)
EXPOSE 50065 9464
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD ["pmo-healthcheck", "--addr", "127.0.0.1:50065"]
ENTRYPOINT ["pmo-configuration"]
