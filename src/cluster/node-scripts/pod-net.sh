#!/usr/bin/env bash
# Pod network operations, run on a kind node by src/cluster/kind-pod-net.ts: bash -c "$(cat this)" kubeproof-pod-net <op> <pod uid> args…
# Exit 42: no running task of the pod on this node (its network namespace is gone, and with it any rule).
set -u
op=$1; shift
netns() {
  local ids id pid status
  ids=" $(ctr -n k8s.io containers ls -q "labels.\"io.kubernetes.pod.uid\"==$1" | tr '\n' ' ') "
  while read -r id pid status; do
    case "$ids" in *" $id "*) if [ "$status" = RUNNING ] && [ -e "/proc/$pid/ns/net" ]; then echo "/proc/$pid/ns/net"; return 0; fi ;; esac
  done < <(ctr -n k8s.io tasks ls 2>/dev/null)
  return 1
}
in_pod() { nsenter --net="$ns" "$@"; }
default_dev() { in_pod ip -o route show default | sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -n1; }
case "$op" in
  features)
    unshare --net bash -c '
      ip link set lo up
      r=$(nft add table inet kp_probe 2>&1 && nft add chain inet kp_probe o "{ type filter hook output priority 0; }" 2>&1 && nft add rule inet kp_probe o tcp dport 9 drop 2>&1) && echo "nft ok" || echo "nft $r"
      r=$(nft add rule inet kp_probe o numgen random mod 100 "<" 1 drop 2>&1) && echo "numgen ok" || echo "numgen $r"
      r=$(tc qdisc add dev lo root handle 1: tbf rate 1mbit burst 32kbit latency 400ms 2>&1) && echo "tbf ok" || echo "tbf $r"
      tc qdisc del dev lo root 2>/dev/null
      r=$(tc qdisc add dev lo root handle 1: netem delay 1ms 2>&1) && echo "netem ok" || echo "netem $r"
    ' 2>&1 | tr '\n' '\t'
    exit 0 ;;
  traces)
    seen=" "
    while read -r id pid status; do
      [ "$status" = RUNNING ] && [ -e "/proc/$pid/ns/net" ] || continue
      ino=$(stat -L -c %i "/proc/$pid/ns/net" 2>/dev/null) || continue
      case "$seen" in *" $ino "*) continue ;; esac
      seen="$seen$ino "
      for t in $(nsenter --net="/proc/$pid/ns/net" nft list tables 2>/dev/null | sed -n 's/^table [a-z0-9]* \(kubeproof_[^ ]*\).*/\1/p'); do echo "nft table $t in the network namespace of task $id"; done
      for dev in $(nsenter --net="/proc/$pid/ns/net" ip -o link show 2>/dev/null | sed -n 's/^[0-9]*: \([^:@]*\).*/\1/p'); do
        nsenter --net="/proc/$pid/ns/net" tc qdisc show dev "$dev" root 2>/dev/null | grep -q " $1: " && echo "qdisc $1: on $dev in the network namespace of task $id"
      done
    done < <(ctr -n k8s.io tasks ls 2>/dev/null)
    for t in $(nft list tables 2>/dev/null | sed -n 's/^table [a-z0-9]* \(kubeproof_[^ ]*\).*/\1/p'); do echo "nft table $t in the node's own network namespace"; done
    exit 0 ;;
esac
uid=$1; shift
ns=$(netns "$uid") || { echo "no running task of pod $uid on this node" >&2; exit 42; }
case "$op" in
  nft-apply) in_pod nft -f - <<<"$1" && echo applied ;;
  nft-delete)
    if out=$(in_pod nft delete table inet "$1" 2>&1); then echo deleted
    elif in_pod nft list tables 2>/dev/null | grep -qx "table inet $1"; then echo "$out" >&2; exit 1
    else echo absent; fi ;;
  nft-list)
    if in_pod nft list tables 2>/dev/null | grep -qx "table inet $1"; then in_pod nft list table inet "$1"; else echo absent; fi ;;
  qdisc-add)
    handle=$1; shift
    dev=$(default_dev); [ -n "$dev" ] || { echo "the pod has no default route" >&2; exit 1; }
    root=$(in_pod tc qdisc show dev "$dev" root)
    case "$root" in
      "qdisc noqueue 0:"*|"qdisc pfifo_fast 0:"*|"qdisc fq_codel 0:"*|"") ;;
      *) echo "interface $dev of the pod already has a root qdisc ($root): refusing to replace it" >&2; exit 1 ;;
    esac
    in_pod tc qdisc add dev "$dev" root handle "$handle:" "$@" && echo "$dev" ;;
  qdisc-delete)
    dev=$(default_dev)
    if [ -n "$dev" ] && in_pod tc qdisc show dev "$dev" root | grep -q " $1: "; then in_pod tc qdisc del dev "$dev" root && echo deleted; else echo absent; fi ;;
  qdisc-show)
    dev=$(default_dev); in_pod tc -s qdisc show dev "$dev" root ;;
  connect)
    if in_pod timeout "$3" bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; then echo connected
    else rc=$?; if [ $rc = 124 ]; then echo timeout; else echo refused; fi; fi ;;
  *) echo "unknown operation $op" >&2; exit 2 ;;
esac
