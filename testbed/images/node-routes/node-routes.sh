#!/bin/bash
# node-routes: kubeproof's minimal pod network for a single-subnet kind cluster (all nodes share one
# Docker bridge). Each node gets a pod CIDR from the controller-manager; this daemon
#   1. writes the node's CNI config (ptp veth per pod + host-local IPAM over its own pod CIDR),
#   2. routes every other node's pod CIDR via that node's InternalIP,
#   3. masquerades pod traffic that leaves the pod network,
#   4. keeps pod and Service addresses from ever leaving the node through the default route.
# NetworkPolicy enforcement is a separate DaemonSet (kubeproof-netpol).
set -o nounset -o pipefail
: "${NODE_NAME:?NODE_NAME must be set from spec.nodeName}"
: "${POD_SUBNET:?POD_SUBNET must be set}"
: "${SERVICE_SUBNET:?SERVICE_SUBNET must be set}"
CNI_DIR=${CNI_DIR:-/host/etc/cni/net.d}
CNI_FILE="$CNI_DIR/10-kubeproof.conflist"
INTERVAL=${INTERVAL:-5}

log() { echo "$(date -u +%FT%TZ) node-routes[$NODE_NAME]: $*"; }

write_cni_config() {
  local cidr=$1 tmp
  tmp=$(mktemp "$CNI_DIR/.kubeproof.XXXXXX")
  cat >"$tmp" <<CONF
{
  "cniVersion": "0.3.1",
  "name": "kubeproof",
  "plugins": [
    {
      "type": "ptp",
      "ipMasq": false,
      "mtu": 1500,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$cidr" }]],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
CONF
  if cmp -s "$tmp" "$CNI_FILE"; then rm -f "$tmp"; else mv "$tmp" "$CNI_FILE"; log "CNI config written for $cidr"; fi
}

# Addresses in the pod and Service ranges must never follow the default route out of the cluster (a pod
# CIDR not routed yet, a ClusterIP that kube-proxy did not translate): fail them here instead.
#  - pod range: an "unreachable" route; each node's pod CIDR route is more specific and wins.
#  - Service range: no route trick (the kernel routes local traffic before kube-proxy's DNAT, so it would
#    refuse every ClusterIP); a REJECT after NAT catches only what kube-proxy left untranslated.
ensure_cluster_ranges_stay_inside() {
  ip route show type unreachable | grep -q "^unreachable $POD_SUBNET" || ip route replace unreachable "$POD_SUBNET"
  local chain rule=(-d "$SERVICE_SUBNET" -m comment --comment kubeproof-untranslated-service-ip -j REJECT)
  for chain in OUTPUT FORWARD; do
    iptables -C "$chain" "${rule[@]}" 2>/dev/null || iptables -A "$chain" "${rule[@]}"
  done
}

ensure_masquerade() {
  local rule=(-s "$POD_SUBNET" ! -d "$POD_SUBNET" -m comment --comment kubeproof-pod-egress -j MASQUERADE)
  iptables -t nat -C POSTROUTING "${rule[@]}" 2>/dev/null || iptables -t nat -A POSTROUTING "${rule[@]}"
}

sync_once() {
  local listing name cidr ip
  listing=$(kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.spec.podCIDR}{" "}{.status.addresses[?(@.type=="InternalIP")].address}{"\n"}{end}') || return 1
  while read -r name cidr ip; do
    [[ -n ${cidr:-} && -n ${ip:-} ]] || continue
    if [[ $name == "$NODE_NAME" ]]; then
      write_cni_config "$cidr"
    elif [[ "$(ip route show "$cidr")" != *"via $ip "* ]]; then
      ip route replace "$cidr" via "$ip" && log "route $cidr via $ip ($name)"
    fi
  done <<<"$listing"
  ensure_masquerade
  ensure_cluster_ranges_stay_inside
}

log "starting (pod subnet $POD_SUBNET, service subnet $SERVICE_SUBNET)"
ensure_cluster_ranges_stay_inside
trap 'log "stopping"; exit 0' TERM INT
while true; do
  sync_once || log "API not reachable yet; retrying"
  sleep "$INTERVAL" & wait $!
done
