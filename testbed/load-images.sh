#!/usr/bin/env bash
# Loads local Docker images into every node of the kubeproof kind cluster (containerd namespace k8s.io).
# This is what `kind load docker-image` does; ours needs no crictl inside the nodes.
# Usage: testbed/load-images.sh IMAGE [IMAGE...]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ $# -gt 0 ]] || die "usage: load-images.sh IMAGE [IMAGE...]"
for img in "$@"; do have_image "$img" || die "image $img is not in the local Docker image store (build it first)"; done
nodes=$(docker ps --filter "label=io.x-k8s.kind.cluster=$CLUSTER_NAME" --format '{{.Names}}')
[[ -n $nodes ]] || die "cluster $CLUSTER_NAME is not running (npm run cluster:up)"
archive=$(mktemp "${TMPDIR:-/tmp}/kubeproof-images.XXXXXX.tar")
trap 'rm -f "$archive"' EXIT
docker save -o "$archive" "$@"
log "loading $# image(s) ($(du -h "$archive" | cut -f1)) into $(wc -w <<<"$nodes") nodes"
pids=()
for node in $nodes; do
  (
    snapshotter=$(docker exec "$node" sh -c "sed -n 's/^ *snapshotter = \"\(.*\)\"/\1/p' /etc/containerd/config.toml | head -1")
    docker exec -i "$node" ctr --namespace=k8s.io images import --all-platforms --digests \
      --snapshotter="${snapshotter:-overlayfs}" - <"$archive" >/dev/null
  ) & pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || die "image import failed on a node"; done
log "loaded: $*"
