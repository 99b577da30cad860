#!/usr/bin/env bash
# Measures the enforcer's behaviour where the upstream NetworkPolicy specs say nothing (they probe new
# connections between pods only), against what the NetworkPolicy documentation states:
#   1. an established connection when a policy stops allowing it (documented as implementation-defined)
#   2. traffic from the pod's own node (documented: always allowed) and from another node (an ipBlock peer)
#   3. a pod reaching itself through its own Service (documented: a pod cannot block access to itself)
#   4. a pod reaching its own node under egress default-deny (the docs exempt it; Calico filters it, as we do)
# One labelled namespace, deleted on exit; runs under the cluster lock. Ends with "N passed, M failed".
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
KUBECTL="$(bin_dir kube "$KUBERNETES_VERSION")/kubectl"
kubectl() { "$KUBECTL" --context "kind-$CLUSTER_NAME" "$@"; }
NS="kubeproof-netpol-semantics-$(date +%s)"
SERVER_NODE="$CLUSTER_NAME-worker" CLIENT_NODE="$CLUSTER_NAME-worker2" OTHER_NODE="$CLUSTER_NAME-worker3"
passed=0 failed=0

report() { # ok|fail text
  if [[ $1 == ok ]]; then passed=$((passed + 1)); echo "  ✔ $2"; else failed=$((failed + 1)); echo "  ✘ $2"; fi
}

pod() { # name node command
  kubectl -n "$NS" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: { name: $1, labels: { app: $1 } }
spec:
  nodeSelector: { kubernetes.io/hostname: $2 }
  terminationGracePeriodSeconds: 0
  containers:
  - { name: c, image: kubeproof/probe:v1, imagePullPolicy: IfNotPresent, command: [sh, -c, '$3'] }
YAML
}

policy() { # name pod-label policyTypes(JSON list)
  kubectl -n "$NS" apply -f - >/dev/null <<YAML
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: $1 }
spec: { podSelector: { matchLabels: { app: $2 } }, policyTypes: $3 }
YAML
}

# Lines the server received so far from the client's stream (one number every 0.2 s).
received() { kubectl -n "$NS" logs server 2>/dev/null | grep -c . || true; }

curl_from_node() { docker exec "$1" curl -s -o /dev/null -m 3 "http://$2:8080/"; echo $?; }

checks() {
  kubectl create namespace "$NS" >/dev/null
  kubectl label namespace "$NS" app.kubernetes.io/managed-by=kubeproof >/dev/null
  pod server "$SERVER_NODE" 'mkdir -p /www && echo ok >/www/index.html && (busybox httpd -p 8080 -h /www &) && exec nc -lk -p 9000'
  kubectl -n "$NS" expose pod server --port 8080 >/dev/null
  kubectl -n "$NS" wait --for=condition=Ready pod/server --timeout=60s >/dev/null
  local ip svc; ip=$(kubectl -n "$NS" get pod server -o jsonpath='{.status.podIP}')
  svc=$(kubectl -n "$NS" get service server -o jsonpath='{.spec.clusterIP}')
  pod client "$CLIENT_NODE" "i=0; while true; do echo \$i; i=\$((i + 1)); sleep 0.2; done | nc $ip 9000"
  kubectl -n "$NS" wait --for=condition=Ready pod/client --timeout=60s >/dev/null
  sleep 3

  # 1. established connection, then a policy isolating the server for ingress
  local before after1 after2
  before=$(received)
  policy deny-ingress server '[Ingress]'
  sleep 3; after1=$(received); sleep 3; after2=$(received)
  if ((before > 0 && after2 == after1)); then
    report ok "an established connection is cut by a new policy (${before} lines before, none in the 3 s after it settled)"
  else
    report fail "an established connection is NOT cut by a new policy (lines received: ${before} before, ${after1} → ${after2} after)"
  fi

  # 2. node → pod under default-deny ingress
  local rc
  rc=$(curl_from_node "$SERVER_NODE" "$ip")
  [[ $rc == 0 ]] && report ok "the pod's own node reaches it (curl exit 0)" || report fail "the pod's own node is blocked (curl exit $rc)"
  rc=$(curl_from_node "$OTHER_NODE" "$ip")
  [[ $rc == 28 ]] && report ok "another node is blocked like any non-pod source (curl exit 28)" || report fail "another node is not blocked (curl exit $rc)"

  # 3. the server through its own Service, isolated for ingress and egress
  policy deny-ingress server '[Ingress, Egress]'
  sleep 2
  rc=$(kubectl -n "$NS" exec server -- curl -s -o /dev/null -m 3 "http://$svc:8080/" 2>/dev/null; echo $?)
  rc=${rc##*$'\n'}
  [[ $rc == 0 ]] && report ok "a pod reaches itself through its Service despite default-deny (exit 0)" ||
    report fail "a pod cannot reach itself through its Service (curl exit $rc)"

  # 4. pod → its own node (the kubelet's port) under default-deny egress: filtered, as on Calico
  local node_ip
  node_ip=$(kubectl get node "$SERVER_NODE" -o jsonpath='{.status.addresses[?(@.type=="InternalIP")].address}')
  rc=$(kubectl -n "$NS" exec server -- curl -sk -o /dev/null -m 3 "https://$node_ip:10250/healthz" 2>/dev/null; echo $?)
  rc=${rc##*$'\n'}
  [[ $rc == 28 ]] && report ok "egress default-deny also blocks the pod's own node (curl exit 28)" ||
    report fail "egress default-deny does not block the pod's own node (curl exit $rc)"
}

cleanup() { kubectl delete namespace "$NS" --wait=false >/dev/null 2>&1 || true; }

run() {
  trap cleanup EXIT
  echo "NetworkPolicy semantics on the testbed ($(kubectl -n kube-system get ds kubeproof-netpol -o jsonpath='{.spec.template.spec.containers[0].image}' 2>/dev/null)):"
  checks; cleanup; trap - EXIT
}
locked run
echo "netpol-semantics: $passed passed, $failed failed"
((failed == 0))
