#!/usr/bin/env bash
# kubeproof's test cluster: `cluster.sh up|down|status|verify`.
#   up      create the kind cluster of kind-config.yaml, or reuse it when healthy; builds the node image
#           offline when the stock kind image cannot be pulled; installs metrics-server; waits until usable.
#   down    delete the cluster (cached images and binaries stay, so the next `up` is fast).
#   status  one screen: nodes, system pods, metrics API.
#   verify  prove the cluster is real and complete (testbed/verify.sh).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KIND="$(bin_dir kind "$KIND_VERSION")/kind"
KUBECTL="$(bin_dir kube "$KUBERNETES_VERSION")/kubectl"
CONTEXT="kind-$CLUSTER_NAME"
# kind v0.27.0's default image for Kubernetes 1.32, used only when a registry is reachable.
STOCK_NODE_IMAGE=kindest/node:v1.32.2
WORKERS_EXPECTED=$(grep -c 'role: worker' "$REPO_DIR/kind-config.yaml")
NODES_EXPECTED=$((WORKERS_EXPECTED + 1))

kubectl() { "$KUBECTL" --context "$CONTEXT" "$@"; }

require_docker() {
  command -v docker >/dev/null ||
    die "docker is not installed. Install Docker (Debian: sudo bash testbed/provision-docker.sh) and retry."
  docker info >/dev/null 2>&1 ||
    die "the Docker daemon is not reachable. Start it (Debian: sudo bash testbed/provision-docker.sh) and retry."
}

require_tools() {
  [[ -x $KIND && -x $KUBECTL ]] && return 0
  log "building kind $KIND_VERSION and kubectl $KUBERNETES_VERSION from the Go module proxy"
  "$TESTBED_DIR/build-binaries.sh" kind >&2
  "$TESTBED_DIR/build-binaries.sh" kube >&2
}

# The load generator: built (once, cached) where Go is present, so CI has it before the first load step.
# Without Go, a run that needs load stops with one line saying how to install vegeta.
require_vegeta() {
  if command -v go >/dev/null; then
    "$TESTBED_DIR/build-binaries.sh" vegeta >&2
  elif ! command -v vegeta >/dev/null; then
    log "note: Go is not installed, so vegeta $VEGETA_VERSION (the load generator) was not built; load steps need it"
  fi
}

cluster_exists() { "$KIND" get clusters 2>/dev/null | grep -qx "$CLUSTER_NAME"; }
node_containers() { docker ps -a --filter "label=io.x-k8s.kind.cluster=$CLUSTER_NAME" --format '{{.Names}} {{.State}}'; }

ready_nodes() {
  kubectl get nodes --request-timeout=5s \
    -o jsonpath='{range .items[*]}{range .status.conditions[?(@.type=="Ready")]}{.status}{"\n"}{end}{end}' 2>/dev/null |
    grep -c True || true
}

# A leftover fault from a killed run (paused node, stopped kubelet) is healed, not rebuilt around.
heal_nodes() {
  local name state
  while read -r name state; do
    [[ -n $name ]] || continue
    case "$state" in
      paused) log "unpausing leftover paused node $name"; docker unpause "$name" >/dev/null ;;
      running) docker exec "$name" systemctl is-active --quiet kubelet 2>/dev/null || {
                 docker exec "$name" test -f /var/lib/kubelet/config.yaml 2>/dev/null &&
                 { log "starting stopped kubelet on $name"; docker exec "$name" systemctl start kubelet; }; } ;;
      *) return 1 ;;  # exited or dead containers: kind nodes do not survive restarts (IPs change)
    esac
  done < <(node_containers)
}

# dockerd restarts the node containers in any order, so they can come back with each other's IPs while
# every kubelet still registers its old --node-ip: pod routes then point at the wrong node and
# cross-node traffic breaks silently. Such a cluster is not healthy.
# The host ports kind-config.yaml publishes must all be published by the running control-plane: docker
# cannot add a port to a running container, so a cluster created from an older config is recreated.
ports_match() {
  local want have api
  api=$(grep -o 'apiServerPort: *[0-9]*' "$REPO_DIR/kind-config.yaml" | grep -o '[0-9]*$')
  want=$(grep -o 'hostPort: *[0-9]*' "$REPO_DIR/kind-config.yaml" | grep -o '[0-9]*$' | sort -n | tr '\n' ' ')
  have=$(docker port "$CLUSTER_NAME-control-plane" 2>/dev/null | grep -o ':[0-9]*$' | tr -d : | grep -vx "$api" | sort -nu | tr '\n' ' ')
  if [[ $want != "$have" ]]; then
    log "the cluster publishes ports [${have% }] but kind-config.yaml asks for [${want% }]"
    return 1
  fi
  # Docker's port proxy serves each published port; one that died (e.g. out of file descriptors under a
  # flood of connections) leaves its port refusing every connection until the container is recreated.
  command -v ss >/dev/null || return 0
  local listening p dead=()
  listening=" $(ss -Hltn 2>/dev/null | awk '{print $4}' | grep -o '^127\.0\.0\.1:[0-9]*$' | cut -d: -f2 | tr '\n' ' ') "
  for p in $want; do [[ $listening == *" $p "* ]] || dead+=("$p"); done
  if ((${#dead[@]})); then
    log "nothing listens on 127.0.0.1 port(s) ${dead[*]} any more (docker's port proxy for them is gone)"
    return 1
  fi
}

node_ips_match() {
  local name container_ip node_ip ok=0
  while read -r name _; do
    [[ -n $name ]] || continue
    container_ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$name" | awk '{print $1}')
    node_ip=$(kubectl get node "$name" --request-timeout=5s -o jsonpath='{.status.addresses[?(@.type=="InternalIP")].address}' 2>/dev/null)
    if [[ $container_ip != "$node_ip" ]]; then
      log "node $name has IP ${container_ip:-none} but registered ${node_ip:-none} (docker restarted its container)"
      ok=1
    fi
  done < <(node_containers)
  return $ok
}

wait_for() { # description timeout-seconds command...
  local what=$1 timeout=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "timed out after ${timeout}s waiting for $what"
    sleep 2
  done
}

all_nodes_ready() { [[ $(ready_nodes) -eq $NODES_EXPECTED ]]; }
metrics_ready() { kubectl top nodes --no-headers 2>/dev/null | grep -q '[0-9]m'; }

pick_node_image() {
  if [[ -n ${KUBEPROOF_NODE_IMAGE:-} ]]; then echo "$KUBEPROOF_NODE_IMAGE"; return; fi
  if have_image "$STOCK_NODE_IMAGE" || timeout 20 docker pull -q "$STOCK_NODE_IMAGE" >/dev/null 2>&1; then
    log "stock image $STOCK_NODE_IMAGE is available: using kind's normal path"
    echo "$STOCK_NODE_IMAGE"; return
  fi
  log "no registry reachable: building the node image locally (cached by pinned versions)"
  "$TESTBED_DIR/build-node-image.sh"
}

install_addons() {
  local image=$1 manifest
  if [[ $image == "$STOCK_NODE_IMAGE" ]]; then
    # The stock image carries no metrics-server or probe image: ship ours into the nodes.
    manifest=$("$TESTBED_DIR/build-node-image.sh" stock-addons)
  else
    manifest=$(docker exec "$CLUSTER_NAME-control-plane" cat /kind/manifests/metrics-server.yaml)
  fi
  kubectl apply -f - <<<"$manifest" >/dev/null
}

# A reused cluster keeps the node image it was created from; say so when testbed files changed since.
warn_if_outdated() {
  local running expected
  running=$(docker inspect -f '{{.Config.Image}}' "$CLUSTER_NAME-control-plane" 2>/dev/null) || return 0
  [[ $running == kubeproof/kind-node:* ]] || return 0
  expected=$("$TESTBED_DIR/build-node-image.sh" tag)
  [[ $running == "$expected" ]] ||
    log "note: the cluster runs $running but the testbed now builds $expected; run 'npm run cluster:down && npm run cluster:up' to pick up the changes"
}

up() {
  local started=$SECONDS
  require_docker
  require_tools
  require_vegeta
  if cluster_exists; then
    if heal_nodes && { all_nodes_ready || { sleep 20; all_nodes_ready; }; } && node_ips_match && ports_match; then
      log "cluster $CLUSTER_NAME is healthy: reusing it"
      warn_if_outdated
    else
      log "cluster $CLUSTER_NAME exists but is not healthy: recreating it"
      "$KIND" delete cluster --name "$CLUSTER_NAME" >&2
    fi
  fi
  if ! cluster_exists; then
    local image; image=$(pick_node_image)
    log "creating cluster $CLUSTER_NAME from $image"
    "$KIND" create cluster --name "$CLUSTER_NAME" --image "$image" --config "$REPO_DIR/kind-config.yaml" --wait 3m >&2
    install_addons "$image"
  fi
  log "waiting for $NODES_EXPECTED Ready nodes"
  wait_for "$NODES_EXPECTED Ready nodes" 240 all_nodes_ready
  wait_for "CoreDNS" 180 kubectl -n kube-system rollout status deployment/coredns --timeout=5s
  wait_for "the default StorageClass provisioner" 180 kubectl -n local-path-storage rollout status deployment/local-path-provisioner --timeout=5s
  wait_for "metrics-server" 180 kubectl -n kube-system rollout status deployment/metrics-server --timeout=5s
  log "waiting for the metrics API to report node usage"
  wait_for "metrics.k8s.io node metrics" 180 metrics_ready
  # The @ingress controller (Traefik on NodePort 30100): built once from the Go module proxy, then cached.
  if command -v go >/dev/null || have_image "kubeproof/traefik:$TRAEFIK_VERSION"; then
    "$TESTBED_DIR/ingress.sh" up
  else
    log "note: Go is not installed, so the ingress controller (Traefik $TRAEFIK_VERSION) was not built; @ingress scenarios will be INCONCLUSIVE"
  fi
  log "cluster $CLUSTER_NAME ready in $((SECONDS - started))s (context $CONTEXT)"
}

down() {
  require_docker; require_tools
  if cluster_exists; then "$KIND" delete cluster --name "$CLUSTER_NAME" >&2; else log "cluster $CLUSTER_NAME does not exist"; fi
}

status() {
  require_docker; require_tools
  cluster_exists || { echo "cluster $CLUSTER_NAME: absent (npm run cluster:up)"; return 1; }
  echo "cluster $CLUSTER_NAME (context $CONTEXT)"
  node_containers | sed 's/^/  container /'
  kubectl get nodes -o wide
  kubectl get pods -n kube-system -o wide --no-headers | awk '{printf "  %-55s %-8s %s\n", $1, $3, $7}'
  kubectl get apiservice v1beta1.metrics.k8s.io --no-headers 2>/dev/null | sed 's/^/  /'
  kubectl top nodes 2>/dev/null || echo "  metrics: not available yet"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  verify) require_docker; require_tools; exec "$TESTBED_DIR/verify.sh" ;;
  kubectl) shift; require_tools; kubectl "$@" ;;
  *) die "usage: cluster.sh up|down|status|verify|kubectl ARGS" ;;
esac
