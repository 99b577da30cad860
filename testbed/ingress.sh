#!/usr/bin/env bash
# The ingress controller for @ingress scenarios: builds Traefik from the Go module proxy (cached by its
# pinned version), puts it alone in an image of our own, loads that image into every node, and applies
# testbed/manifests/ingress-traefik.yaml (namespace kubeproof-ingress, NodePort 30100 on 127.0.0.1).
# Idempotent: a cached binary, an existing image and an image already on the nodes are reused.
# Usage: testbed/ingress.sh [up|image]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IMAGE=kubeproof/traefik:$TRAEFIK_VERSION
KUBECTL="$(bin_dir kube "$KUBERNETES_VERSION")/kubectl"
CONTEXT="kind-$CLUSTER_NAME"

build_image() {
  have_image "$IMAGE" && return 0
  "$TESTBED_DIR/build-binaries.sh" traefik >&2
  local ctx; ctx=$(mktemp -d "${TMPDIR:-/tmp}/kubeproof-traefik.XXXXXX")
  cp "$(bin_dir traefik "$TRAEFIK_VERSION")/traefik" "$TESTBED_DIR/images/traefik/Dockerfile" "$ctx/"
  DOCKER_BUILDKIT=0 docker build -q -t "$IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
  log "built image $IMAGE"
}

# The image is on a node when containerd there knows its tag.
on_every_node() {
  local node
  for node in $(docker ps --filter "label=io.x-k8s.kind.cluster=$CLUSTER_NAME" --format '{{.Names}}'); do
    docker exec "$node" ctr --namespace=k8s.io images ls -q "name==docker.io/$IMAGE" | grep -q . || return 1
  done
}

up() {
  build_image
  on_every_node || "$TESTBED_DIR/load-images.sh" "$IMAGE"
  sed "s#TRAEFIK_IMAGE#$IMAGE#" "$TESTBED_DIR/manifests/ingress-traefik.yaml" | "$KUBECTL" --context "$CONTEXT" apply -f - >/dev/null
  "$KUBECTL" --context "$CONTEXT" -n kubeproof-ingress rollout status deployment/traefik --timeout=120s >&2
  log "ingress controller Traefik $TRAEFIK_VERSION ready on 127.0.0.1:30100"
}

case "${1:-up}" in
  up) up ;;
  image) build_image ;;
  *) die "usage: ingress.sh [up|image]" ;;
esac
