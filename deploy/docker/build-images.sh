#!/usr/bin/env bash
# Builds every PMO image: the shared build and runtime stages once, then one
# small image per service. Tag with $PMO_IMAGE_TAG (default dev); push them
# with your registry's prefix in $PMO_IMAGE_PREFIX (e.g. registry.example/pmo/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tag="${PMO_IMAGE_TAG:-dev}"
prefix="${PMO_IMAGE_PREFIX:-}"
cd "$root"
docker build -f deploy/docker/base.Dockerfile --target build -t "${prefix}pmo-build:$tag" .
docker build -f deploy/docker/base.Dockerfile --target runtime -t "${prefix}pmo-runtime:$tag" .
for service in pmo projects projection resources risks configuration reporting; do
  name="pmo-$service"
  [[ $service == pmo ]] && name=pmo
  docker build -f "deploy/docker/$service.Dockerfile" \
    --build-arg "PMO_BUILD_IMAGE=${prefix}pmo-build:$tag" \
    --build-arg "PMO_RUNTIME_IMAGE=${prefix}pmo-runtime:$tag" \
    -t "${prefix}$name:$tag" .
done
