#!/usr/bin/env bash
# Builds kubeproof's kind node image without any registry, the way kind's own node image is laid out:
# node base (Debian rootfs + our node files) + kubeadm/kubelet/kubectl + /kind/version + /kind/manifests
# + every image the cluster needs imported into containerd (namespace k8s.io).
# Prints the node image tag on stdout. Everything is cached by pinned versions and file hashes.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Hash of everything that shapes the node image; the tag changes when any of it changes.
# Lines about vegeta are left out: it runs on the host, never in a node, so it must not force a rebuild.
node_inputs_hash() {
  (cd "$TESTBED_DIR" && { grep -hvi vegeta versions.env build-binaries.sh; cat build-node-image.sh build-rootfs.sh \
     $(find node images manifests -type f | sort); }) | sha256sum | cut -c1-12
}
node_image_tag() { echo "kubeproof/kind-node:$KUBERNETES_VERSION-$(node_inputs_hash)"; }

build_image() { # tag context-dir [build-args...]
  local tag=$1 ctx=$2; shift 2
  if have_image "$tag"; then return 0; fi
  log "image $tag"
  quiet_build "$@" -t "$tag" "$ctx"
}

# The classic builder (all docker.io 20.10 offers without BuildKit) is chatty: show its output on failure only.
quiet_build() {
  local out
  out=$(DOCKER_BUILDKIT=0 docker build "$@" 2>&1) || { printf '%s\n' "$out" >&2; die "docker build $* failed"; }
}

# Stage a build context: a Dockerfile from testbed/images/<kind> plus the files it copies.
stage() { # dockerfile-dir files...
  local ctx; ctx=$(mktemp -d "${TMPDIR:-/tmp}/kubeproof-ctx.XXXXXX")
  cp "$TESTBED_DIR/images/$1/Dockerfile" "$ctx/"; shift
  cp "$@" "$ctx/"
  echo "$ctx"
}

render() { # manifest -> stdout with placeholders filled
  sed -e "s#__NODE_ROUTES_IMAGE__#$NODE_ROUTES_IMAGE#g" -e "s#__NETPOL_IMAGE__#$NETPOL_IMAGE#g" \
      -e "s#__POD_SUBNET__#$POD_SUBNET#g" -e "s#__SERVICE_SUBNET__#$SERVICE_SUBNET#g" -e "s#__HELPER_IMAGE__#$HELPER_IMAGE#g" \
      -e "s#__LOCAL_PATH_IMAGE__#$LOCAL_PATH_IMAGE#g" -e "s#__METRICS_SERVER_IMAGE__#$METRICS_SERVER_IMAGE#g" "$1"
}

define_image_names() {
  local h; h=$(node_inputs_hash)
  NODE_ROUTES_IMAGE="kubeproof/node-routes:$h"
  NETPOL_IMAGE="kubeproof/netpol:$(source_key netpol)"
  LOCAL_PATH_IMAGE="kubeproof/local-path-provisioner:$LOCAL_PATH_PROVISIONER_VERSION"
  METRICS_SERVER_IMAGE="kubeproof/metrics-server:$METRICS_SERVER_VERSION"
  HELPER_IMAGE=$("$TESTBED_DIR/build-rootfs.sh" tag-net)
  PROBE_IMAGE=$("$TESTBED_DIR/build-rootfs.sh" tag-probe)
  PROBE_ALIAS=kubeproof/probe:v1
  # kind-config.yaml's podSubnet: our CNI routes exactly this range.
  POD_SUBNET=$(awk -F'"' '/podSubnet/{print $2}' "$REPO_DIR/kind-config.yaml")
  SERVICE_SUBNET=$(awk -F'"' '/serviceSubnet/{print $2}' "$REPO_DIR/kind-config.yaml")
  [[ -n $POD_SUBNET && -n $SERVICE_SUBNET ]] || die "kind-config.yaml must set networking.podSubnet and serviceSubnet"
}

build_component_images() {
  local kube etcd ctx img name tag
  kube=$(bin_dir kube "$KUBERNETES_VERSION")
  NET_BASE=$("$TESTBED_DIR/build-rootfs.sh" net)
  "$TESTBED_DIR/build-rootfs.sh" probe >/dev/null
  COMPONENT_IMAGES=()
  # kubeadm decides the control-plane image names and tags; ask the kubeadm we built, as kind does.
  for img in $("$kube/kubeadm" config images list --kubernetes-version "$KUBERNETES_VERSION" 2>/dev/null); do
    name=${img##*/}; name=${name%%:*}; tag=${img##*:}
    case "$name" in
      kube-apiserver|kube-controller-manager|kube-scheduler)
        ctx=$(stage static "$kube/$name"); build_image "$img" "$ctx" --build-arg "BINARY=$name" ;;
      kube-proxy)
        ctx=$(stage net "$kube/kube-proxy"); build_image "$img" "$ctx" --build-arg "BASE=$NET_BASE" --build-arg BINARY=kube-proxy ;;
      etcd)
        etcd=$(bin_dir etcd "$ETCD_MODULE_VERSION")
        ctx=$(stage static "$etcd/etcd"); build_image "$img" "$ctx" --build-arg BINARY=etcd ;;
      coredns)
        ctx=$(stage coredns "$(bin_dir coredns "$COREDNS_VERSION")/coredns"); build_image "$img" "$ctx" ;;
      pause)
        [[ $tag == "$PAUSE_TAG" ]] || die "kubeadm wants pause:$tag but versions.env pins PAUSE_TAG=$PAUSE_TAG"
        ctx=$(stage pause "$(ls -d "$BIN_CACHE"/pause-"$PAUSE_TAG"-*/ | tail -1)pause"); build_image "$img" "$ctx" ;;
      *) die "kubeadm asks for an image this build does not know: $img" ;;
    esac
    rm -rf "${ctx:-/nonexistent}"
    COMPONENT_IMAGES+=("$img")
  done
  ctx=$(stage net "$(bin_dir kubeproof-netpol "$(source_key netpol)")/kubeproof-netpol")
  build_image "$NETPOL_IMAGE" "$ctx" --build-arg "BASE=$NET_BASE" --build-arg BINARY=kubeproof-netpol; rm -rf "$ctx"
  ctx=$(stage net "$(bin_dir local-path-provisioner "$LOCAL_PATH_PROVISIONER_VERSION")/local-path-provisioner")
  build_image "$LOCAL_PATH_IMAGE" "$ctx" --build-arg "BASE=$NET_BASE" --build-arg BINARY=local-path-provisioner; rm -rf "$ctx"
  ctx=$(stage static "$(bin_dir metrics-server "$METRICS_SERVER_VERSION")/metrics-server")
  build_image "$METRICS_SERVER_IMAGE" "$ctx" --build-arg BINARY=metrics-server; rm -rf "$ctx"
  ctx=$(stage node-routes "$kube/kubectl" "$TESTBED_DIR/images/node-routes/node-routes.sh")
  build_image "$NODE_ROUTES_IMAGE" "$ctx" --build-arg "BASE=$NET_BASE"; rm -rf "$ctx"
  # A stable name for probe pods (cluster:verify, reachability checks); the hashed tag keeps the cache honest.
  docker tag "$PROBE_IMAGE" "$PROBE_ALIAS"
  COMPONENT_IMAGES+=("$NETPOL_IMAGE" "$LOCAL_PATH_IMAGE" "$METRICS_SERVER_IMAGE" "$NODE_ROUTES_IMAGE" "$HELPER_IMAGE" "$PROBE_ALIAS")
}

build_node_base() {
  local rootfs tag
  rootfs=$("$TESTBED_DIR/build-rootfs.sh" node)
  tag="kubeproof/node-base:$(cd "$TESTBED_DIR" && cat images/node-base/Dockerfile $(find node -type f | sort) | sha256sum | cut -c1-12)-${rootfs##*-}"
  if ! have_image "$tag"; then
    local ctx; ctx=$(mktemp -d "${TMPDIR:-/tmp}/kubeproof-ctx.XXXXXX")
    cp "$TESTBED_DIR/images/node-base/Dockerfile" "$ctx/"; cp -a "$TESTBED_DIR/node/files" "$ctx/files"
    log "image $tag"
    quiet_build --build-arg "ROOTFS=$rootfs" -t "$tag" "$ctx"
    rm -rf "$ctx"
  fi
  NODE_BASE=$tag
}

assemble_node_image() {
  local target=$1 kube cid
  kube=$(bin_dir kube "$KUBERNETES_VERSION")
  cid=$(docker run -d --privileged --security-opt seccomp=unconfined --entrypoint=sleep "$NODE_BASE" infinity)
  trap "docker rm -f $cid >/dev/null 2>&1" EXIT
  local b
  for b in kubeadm kubelet kubectl; do docker cp "$kube/$b" "$cid:/usr/bin/$b"; done
  echo "$KUBERNETES_VERSION" | docker exec -i "$cid" sh -c 'cat > /kind/version'
  render "$TESTBED_DIR/manifests/default-cni.yaml" | docker exec -i "$cid" sh -c 'cat > /kind/manifests/default-cni.yaml'
  render "$TESTBED_DIR/manifests/default-storage.yaml" | docker exec -i "$cid" sh -c 'cat > /kind/manifests/default-storage.yaml'
  render "$TESTBED_DIR/manifests/metrics-server.yaml" | docker exec -i "$cid" sh -c 'cat > /kind/manifests/metrics-server.yaml'
  docker exec "$cid" bash -c 'nohup containerd >/var/log/containerd-image-import.log 2>&1 &'
  local i; for i in $(seq 1 30); do docker exec "$cid" ctr version >/dev/null 2>&1 && break; sleep 1; done
  log "importing ${#COMPONENT_IMAGES[@]} images into the node's containerd"
  docker save "${COMPONENT_IMAGES[@]}" |
    docker exec -i "$cid" ctr --namespace=k8s.io images import --all-platforms --no-unpack --digests - >/dev/null
  docker exec "$cid" ctr --namespace=k8s.io images ls -q | grep -v '^sha256:' | sed 's/^/  /' >&2
  docker exec "$cid" pkill containerd || true
  for i in $(seq 1 30); do docker exec "$cid" pgrep -x containerd >/dev/null || break; sleep 1; done
  docker exec "$cid" rm -f /var/log/containerd-image-import.log
  docker commit --change 'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]' --change 'CMD []' \
    "$cid" "$target" >/dev/null
  docker rm -f "$cid" >/dev/null; trap - EXIT
}

# Old node images are 1.4 GB each: keep only the current one (an image a running node uses stays).
prune_old_node_images() {
  local keep=$1 img
  for img in $(docker images --format '{{.Repository}}:{{.Tag}}' | grep -E '^kubeproof/(kind-node|node-base):' ); do
    [[ $img == "$keep" || $img == "$NODE_BASE" ]] && continue
    docker rmi "$img" >/dev/null 2>&1 && log "removed old image $img" || true
  done
}

main() {
  local target; target=$(node_image_tag)
  if have_image "$target"; then log "node image $target: cached"; echo "$target"; return 0; fi
  local started=$SECONDS
  "$TESTBED_DIR/build-binaries.sh" >&2
  define_image_names
  build_node_base
  build_component_images
  assemble_node_image "$target"
  prune_old_node_images "$target"
  log "node image $target built in $((SECONDS - started))s ($(docker image inspect -f '{{.Size}}' "$target" | awk '{printf "%.0f MB", $1/1e6}'))"
  echo "$target"
}

case "${1:-build}" in
  build) main ;;
  tag) node_image_tag ;;
  base) define_image_names; build_node_base; echo "$NODE_BASE" ;;
  # Stock kind node images lack our metrics-server and probe images: build and load them, print the manifest.
  stock-addons)
    "$TESTBED_DIR/build-binaries.sh" >&2; define_image_names; build_component_images >&2
    "$TESTBED_DIR/load-images.sh" "$METRICS_SERVER_IMAGE" "$PROBE_ALIAS" >&2
    render "$TESTBED_DIR/manifests/metrics-server.yaml" ;;
  *) die "usage: build-node-image.sh [build|tag|base|stock-addons]" ;;
esac
