#!/usr/bin/env bash
# Stress inside one container, run on a kind node by src/cluster/kind-stress.ts: bash -c "$(cat this)" kubeproof-stress <op> args…
# Exit 42: the container has no running task on this node.
set -u
op=$1; shift
# Processes whose command line carries $1 as a whole word, this script excepted (its own arguments carry it too).
marked() {
  local d args
  for d in /proc/[0-9]*; do
    [ "${d#/proc/}" = "$$" ] && continue
    mapfile -d '' args < "$d/cmdline" 2>/dev/null || continue
    [ ${#args[@]} -gt 0 ] || continue
    case " ${args[*]} " in *" $1"*) echo "${d#/proc/} ${args[*]}" ;; esac
  done
}
case "$op" in
  start)
    cid=$1 marker=$2 secs=$3 kind=$4 amount=$5
    pid=""
    while read -r id p status; do
      if [ "$id" = "$cid" ] && [ "$status" = RUNNING ]; then pid=$p; fi
    done < <(ctr -n k8s.io tasks ls 2>/dev/null)
    [ -n "$pid" ] || { echo "container $cid has no running task on this node" >&2; exit 42; }
    procs=()
    while IFS=: read -r _ ctrls path; do
      if [ -z "$ctrls" ]; then dir="/sys/fs/cgroup$path"; else dir="/sys/fs/cgroup/${ctrls#name=}$path"; fi
      if [ -f "$dir/cgroup.procs" ]; then procs+=("$dir/cgroup.procs"); fi
    done < "/proc/$pid/cgroup"
    [ ${#procs[@]} -gt 0 ] || { echo "no cgroup of container $cid found under /sys/fs/cgroup" >&2; exit 1; }
    if [ "$kind" = cpu ]; then
      work='while :; do :; done'; n=$amount
    else
      # 1 MiB strings, each filled (so every page is really used), kept until the timeout.
      work='exec perl -e '"'"'my @keep; push @keep, "k" x 1048576 for 1 .. $ARGV[0]; sleep'"'"' '"$amount"' "$0"'; n=1
    fi
    # The cpu and memory cgroups must be the container's, or the stress would prove nothing: the v1
    # controllers where they are mounted (then the 0:: line names a hierarchy nobody mounted here and
    # cannot be joined), else the unified (v2) one. Read before the stress starts: a container the
    # allocation OOM-kills at once shows the root cgroup afterwards.
    if grep -qE '^[0-9]+:memory:' "/proc/$pid/cgroup"; then pattern=':(memory|cpu|cpu,cpuacct|cpuacct,cpu):'; else pattern='^0::'; fi
    want=$(grep -E "$pattern" "/proc/$pid/cgroup" | sort)
    started=()
    for _ in $(seq "$n"); do
      # Joins the container's cgroups first, then its PID namespace (nsenter forks the worker into it).
      setsid bash -c 'for f in "${@:4}"; do echo $$ > "$f" 2>/dev/null; done; exec nsenter --target "$2" --pid -- timeout "$3" bash -c "$1" "$0"' \
        "$marker" "$work" "$pid" "$secs" "${procs[@]}" </dev/null >/dev/null 2>&1 &
      started+=($!)
    done
    sleep 0.3
    for s in "${started[@]}"; do
      state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$s/status" 2>/dev/null)
      if [ -z "$state" ] || [ "$state" = Z ]; then
        # Ended already: an allocation past the limit can OOM-kill the container within these 0.3 s (its
        # processes die with it); a busy loop never ends by itself.
        [ "$kind" = memory ] && continue
        for k in "${started[@]}"; do kill -9 "$k" 2>/dev/null; done
        echo "the stress process $s in container $cid ended at once" >&2; exit 1
      fi
      have=$(grep -E "$pattern" "/proc/$s/cgroup" 2>/dev/null | sort)
      if [ "$have" != "$want" ]; then
        for k in "${started[@]}"; do kill -9 "$k" 2>/dev/null; done
        echo "could not place the stress into the cgroups of container $cid (wanted: $want; got: $have)" >&2; exit 1
      fi
    done
    echo "${started[*]}" ;;
  stop)
    n=0
    while read -r p _; do kill -9 "$p" 2>/dev/null && n=$((n + 1)); done < <(marked "$1")
    echo "$n" ;;
  count) marked "$1" | wc -l ;;
  traces) marked "$1" ;;
  *) echo "unknown operation $op" >&2; exit 2 ;;
esac
