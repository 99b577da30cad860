#!/usr/bin/env bash
# Proves on the running cluster that it is real and complete: nodes, DNS, cross-node Service routing,
# NetworkPolicy enforcement, metrics API, persistent volumes, NodePort on 127.0.0.1, and node loss via
# `docker pause`. Everything it creates lives in one labelled namespace and is removed on exit; a paused
# node is always unpaused. Ends with "N passed, M failed"; exits 1 when anything failed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
KUBECTL="$(bin_dir kube "$KUBERNETES_VERSION")/kubectl"
CONTEXT="kind-$CLUSTER_NAME"
kubectl() { "$KUBECTL" --context "$CONTEXT" "$@"; }

NS="kubeproof-verify-$(date +%s)"
PROBE_IMAGE=kubeproof/probe:v1
SERVER_NODE="$CLUSTER_NAME-worker"
CLIENT_NODE="$CLUSTER_NAME-worker2"
PAUSE_NODE="$CLUSTER_NAME-worker3"
NODEPORT=30099
passed=0 failed=0 paused=""

cleanup() {
  [[ -n $paused ]] && docker unpause "$paused" >/dev/null 2>&1
  kubectl delete namespace "$NS" --wait=false >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check() { # name function
  local name=$1 started=$SECONDS out
  if out=$("$2" 2>&1); then
    passed=$((passed + 1)); printf '  \xe2\x9c\x94 %-44s %3ss  %s\n' "$name" $((SECONDS - started)) "$out"
  else
    failed=$((failed + 1)); printf '  \xe2\x9c\x98 %-44s %3ss  %s\n' "$name" $((SECONDS - started)) "$out"
  fi
}

# Polls "$@" until it succeeds or $1 seconds pass.
eventually() { local deadline=$((SECONDS + $1)); shift; until "$@"; do ((SECONDS < deadline)) || return 1; sleep 1; done; }

in_client() { kubectl -n "$NS" exec client -- "$@"; }

setup() {
  kubectl create namespace "$NS" >/dev/null
  kubectl label namespace "$NS" app.kubernetes.io/managed-by=kubeproof kubeproof.dev/run-id=verify-$$ >/dev/null
  # Same ownership marks as the runner's namespaces: if this script is killed, `npm run chaos -- --janitor` removes it.
  kubectl annotate namespace "$NS" kubeproof.dev/pid=$$ "kubeproof.dev/host=$(hostname)" >/dev/null
  kubectl -n "$NS" apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      nodeSelector: { kubernetes.io/hostname: $SERVER_NODE }
      containers:
      - name: web
        image: $PROBE_IMAGE
        imagePullPolicy: IfNotPresent
        command: [sh, -c, 'mkdir -p /www && echo "hello from \$(hostname)" > /www/index.html && exec busybox httpd -f -p 8080 -h /www']
        readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: web-nodeport }
spec:
  type: NodePort
  selector: { app: web }
  ports: [{ port: 80, targetPort: 8080, nodePort: $NODEPORT }]
---
apiVersion: v1
kind: Pod
metadata: { name: client, labels: { app: client } }
spec:
  nodeSelector: { kubernetes.io/hostname: $CLIENT_NODE }
  terminationGracePeriodSeconds: 0
  containers:
  - { name: client, image: $PROBE_IMAGE, imagePullPolicy: IfNotPresent, command: [sleep, infinity] }
YAML
  kubectl -n "$NS" rollout status deployment/web --timeout=90s >/dev/null
  kubectl -n "$NS" wait pod/client --for=condition=Ready --timeout=90s >/dev/null
}

check_nodes() {
  local ready
  ready=$(kubectl get nodes --no-headers | awk '$2=="Ready"{n++} END{print n+0}')
  [[ $ready -eq 4 ]] || { echo "expected 4 Ready nodes, saw $ready"; kubectl get nodes --no-headers; return 1; }
  echo "4/4 Ready"
}

check_dns() {
  local ip resolved
  ip=$(kubectl -n "$NS" get service web -o jsonpath='{.spec.clusterIP}')
  resolved=$(in_client getent hosts "web.$NS.svc.cluster.local" | awk '{print $1}')
  [[ $resolved == "$ip" ]] || { echo "web.$NS.svc.cluster.local resolved to '${resolved}', expected $ip"; return 1; }
  echo "web.$NS.svc.cluster.local -> $ip"
}

check_cross_node_clusterip() {
  local server client body
  server=$(kubectl -n "$NS" get pods -l app=web -o jsonpath='{.items[0].spec.nodeName}')
  client=$(kubectl -n "$NS" get pod client -o jsonpath='{.spec.nodeName}')
  [[ $server != "$client" ]] || { echo "server and client landed on the same node $server"; return 1; }
  # kube-proxy on the client's node may program the new endpoint a moment after the pod is Ready.
  eventually 15 in_client curl -sS -o /dev/null -m 3 "http://web/" 2>/dev/null || true
  body=$(in_client curl -sS -m 5 "http://web/" 2>&1) || { echo "curl failed: $body"; return 1; }
  [[ $body == "hello from web-"* ]] || { echo "unexpected answer: $body"; return 1; }
  echo "$client -> ClusterIP -> $server: '$body'"
}

curl_exit() { in_client curl -sS -o /dev/null -m 3 "http://web/" >/dev/null 2>&1; echo $?; }
exit_is() { [[ $(curl_exit) == "$1" ]]; }

check_network_policy() {
  kubectl -n "$NS" apply -f - >/dev/null <<'YAML'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny-ingress }
spec: { podSelector: {}, policyTypes: [Ingress] }
YAML
  eventually 30 exit_is 28 || { echo "default-deny: curl exit $(curl_exit), expected 28 (timeout)"; return 1; }
  kubectl -n "$NS" apply -f - >/dev/null <<'YAML'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-client-to-web }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Ingress]
  ingress: [{ from: [{ podSelector: { matchLabels: { app: client } } }], ports: [{ port: 8080 }] }]
YAML
  eventually 30 exit_is 0 || { echo "allow policy: curl exit $(curl_exit), expected 0"; return 1; }
  kubectl -n "$NS" delete networkpolicy default-deny-ingress allow-client-to-web >/dev/null
  echo "deny -> curl exit 28; allow -> curl exit 0"
}

check_metrics() {
  local lines
  lines=$(kubectl top nodes --no-headers 2>&1) || { echo "kubectl top nodes: $lines"; return 1; }
  [[ $(grep -c '[0-9]m ' <<<"$lines") -eq 4 ]] || { echo "expected CPU numbers for 4 nodes: $lines"; return 1; }
  awk '{printf "%s=%s/%s ", $1, $2, $4}' <<<"$lines"
}

check_pvc() {
  local token node1 node2 content
  token="proof-$RANDOM$RANDOM"
  kubectl -n "$NS" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data }
spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 16Mi } } }
---
apiVersion: v1
kind: Pod
metadata: { name: writer }
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: writer
    image: $PROBE_IMAGE
    imagePullPolicy: IfNotPresent
    command: [sh, -c, 'echo $token > /data/proof && sync && sleep infinity']
    volumeMounts: [{ name: data, mountPath: /data }]
  volumes: [{ name: data, persistentVolumeClaim: { claimName: data } }]
YAML
  kubectl -n "$NS" wait pod/writer --for=condition=Ready --timeout=120s >/dev/null || { echo "writer pod not Ready"; return 1; }
  [[ $(kubectl -n "$NS" get pvc data -o jsonpath='{.status.phase}') == Bound ]] || { echo "PVC not Bound"; return 1; }
  eventually 10 kubectl -n "$NS" exec writer -- test -s /data/proof || { echo "writer did not write"; return 1; }
  node1=$(kubectl -n "$NS" get pod writer -o jsonpath='{.spec.nodeName}')
  kubectl -n "$NS" delete pod writer --wait=true >/dev/null
  kubectl -n "$NS" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: { name: reader }
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - { name: reader, image: $PROBE_IMAGE, imagePullPolicy: IfNotPresent, command: [sleep, infinity], volumeMounts: [{ name: data, mountPath: /data }] }
  volumes: [{ name: data, persistentVolumeClaim: { claimName: data } }]
YAML
  kubectl -n "$NS" wait pod/reader --for=condition=Ready --timeout=120s >/dev/null || { echo "reader pod not Ready"; return 1; }
  content=$(kubectl -n "$NS" exec reader -- cat /data/proof)
  node2=$(kubectl -n "$NS" get pod reader -o jsonpath='{.spec.nodeName}')
  [[ $content == "$token" ]] || { echo "read '$content' after pod deletion, expected '$token'"; return 1; }
  echo "PVC Bound on $node1; data intact in a new pod on $node2"
}

check_nodeport() {
  local body
  eventually 20 curl -sS -o /dev/null -m 3 "http://127.0.0.1:$NODEPORT/" 2>/dev/null || true
  body=$(curl -sS -m 3 "http://127.0.0.1:$NODEPORT/" 2>&1) || { echo "curl http://127.0.0.1:$NODEPORT/ failed: $body"; return 1; }
  [[ $body == "hello from web-"* ]] || { echo "unexpected answer: $body"; return 1; }
  echo "127.0.0.1:$NODEPORT -> '$body'"
}

node_ready_status() { kubectl get node "$PAUSE_NODE" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null; }
node_not_ready() { [[ $(node_ready_status) != True ]]; }
node_ready() { [[ $(node_ready_status) == True ]]; }

# runc's cgroup-v1 freezer sometimes gives up on a whole node ("unable to freeze") and thaws it again;
# a retry is safe. Other errors are final.
pause_node_retrying() {
  local attempt err
  for attempt in 1 2 3 4 5; do
    err=$(docker pause "$1" 2>&1 >/dev/null) && return 0
    [[ $err == *"unable to freeze"* ]] || { echo "$err" >&2; return 1; }
    [[ $(docker inspect -f '{{.State.Status}}' "$1") == paused ]] && return 0
    sleep 1
  done
  echo "$err (tried 5 times)" >&2; return 1
}

check_pause_node() {
  local t0 down up
  node_ready || { echo "$PAUSE_NODE not Ready before the test"; return 1; }
  t0=$SECONDS; paused=$PAUSE_NODE
  pause_node_retrying "$PAUSE_NODE" || { echo "docker pause $PAUSE_NODE failed"; return 1; }
  eventually 90 node_not_ready || { echo "$PAUSE_NODE still Ready 90s after docker pause"; return 1; }
  down=$((SECONDS - t0)); t0=$SECONDS
  docker unpause "$PAUSE_NODE" >/dev/null; paused=""
  eventually 120 node_ready || { echo "$PAUSE_NODE not Ready 120s after docker unpause"; return 1; }
  up=$((SECONDS - t0))
  echo "NotReady ${down}s after pause, Ready ${up}s after unpause"
}

echo "cluster:verify on $CONTEXT (namespace $NS)"
setup_started=$SECONDS
setup || { echo "setup failed"; kubectl -n "$NS" get pods -o wide; kubectl -n "$NS" get events --sort-by=.lastTimestamp | tail -15; exit 1; }
echo "  setup: $((SECONDS - setup_started))s"
check "4 nodes Ready" check_nodes
check "CoreDNS resolves a Service name" check_dns
check "ClusterIP answers from another node" check_cross_node_clusterip
check "NetworkPolicy deny times out, allow restores" check_network_policy
check "metrics API: kubectl top nodes" check_metrics
check "PVC binds, data survives pod deletion" check_pvc
check "NodePort answers on 127.0.0.1" check_nodeport
check "docker pause -> NotReady, unpause -> Ready" check_pause_node
echo "verify: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
