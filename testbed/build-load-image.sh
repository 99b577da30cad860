#!/usr/bin/env bash
# Builds kubeproof/vegeta:<VEGETA_VERSION> — the image in-cluster load runs (src/load/in-cluster.ts) — from
# the cached vegeta binary (built from the Go module proxy when missing) and Debian's busybox-static, and
# loads it into the nodes of the kind cluster when they lack it. Cached: a second run takes a second.
# Usage: bash testbed/build-load-image.sh [--no-load]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
IMAGE=kubeproof/vegeta:$VEGETA_VERSION
HASH_LABEL=io.kubeproof.input-hash
export DOCKER_BUILDKIT=0
LOAD=1
[[ ${1:-} == --no-load ]] && LOAD=0

vegeta=$KUBEPROOF_CACHE/bin/vegeta-$VEGETA_VERSION/vegeta
[[ -x $vegeta ]] || bash "$TESTBED_DIR/build-binaries.sh" vegeta
[[ -x $vegeta ]] || die "vegeta $VEGETA_VERSION could not be built (see above)"

# busybox-static from Debian's archive (the package ships one statically linked binary), cached by version.
bb_dir=$(ls -d "$KUBEPROOF_CACHE"/bin/busybox-static-* 2>/dev/null | tail -1 || true)
if [[ -z $bb_dir || ! -x $bb_dir/busybox ]]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/busybox-static.XXXXXX")
  ( cd "$work" && { apt-get download busybox-static >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get download busybox-static >/dev/null; }; } ) \
    || die "cannot download Debian's busybox-static (apt-get download busybox-static)"
  deb=$(ls "$work"/busybox-static_*.deb)
  version=$(dpkg-deb -f "$deb" Version | tr ':~' '__')
  dpkg-deb -x "$deb" "$work/x"
  bb_dir=$KUBEPROOF_CACHE/bin/busybox-static-$version
  mkdir -p "$bb_dir" && cp "$work/x/bin/busybox" "$bb_dir/busybox"
  rm -rf "$work"
  log "busybox-static $version cached in $bb_dir"
fi

hash=$( { cat "$TESTBED_DIR/images/load/Dockerfile"; sha256sum "$vegeta" "$bb_dir/busybox" | cut -d' ' -f1; } | sha256sum | cut -c1-16)
if [[ $(docker image inspect -f "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$IMAGE" 2>/dev/null || true) != "$hash" ]]; then
  ctx=$(mktemp -d "${TMPDIR:-/tmp}/load-image.XXXXXX")
  cp "$vegeta" "$bb_dir/busybox" "$ctx/"
  docker build -q -f "$TESTBED_DIR/images/load/Dockerfile" --label "$HASH_LABEL=$hash" -t "$IMAGE" "$ctx" >/dev/null || { rm -rf "$ctx"; die "docker build of $IMAGE failed"; }
  rm -rf "$ctx"
  log "$IMAGE built"
fi
[[ $LOAD == 1 ]] || exit 0
nodes=$(docker ps --filter "label=io.x-k8s.kind.cluster=$CLUSTER_NAME" --format '{{.Names}}')
[[ -n $nodes ]] || { log "cluster $CLUSTER_NAME is not running: $IMAGE not loaded"; exit 0; }
missing=0
for node in $nodes; do
  docker exec "$node" ctr --namespace=k8s.io images ls -q "name==docker.io/$IMAGE" | grep -q . || missing=1
done
# A rebuilt image under the same tag must replace the nodes' copy.
if [[ $missing == 1 || ${FORCE_LOAD:-0} == 1 ]]; then bash "$TESTBED_DIR/load-images.sh" "$IMAGE"; else log "$IMAGE already on every node"; fi
