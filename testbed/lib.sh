# Shared helpers for the testbed scripts. Sourced, not executed.
set -euo pipefail
TESTBED_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$TESTBED_DIR")
# shellcheck source=versions.env
source "$TESTBED_DIR/versions.env"
# Outside the clone on purpose: CI starts from a fresh clone, but the machine keeps this folder.
KUBEPROOF_CACHE=${KUBEPROOF_CACHE:-/var/cache/kubeproof}
BIN_CACHE="$KUBEPROOF_CACHE/bin"
export GOFLAGS="${GOFLAGS:--buildvcs=false}" CGO_ENABLED=0
mkdir -p "$BIN_CACHE"
# Go is usually in /usr/local/go; non-login shells (CI) may not have it on PATH.
[[ -x /usr/local/go/bin/go ]] && [[ ":$PATH:" != *":/usr/local/go/bin:"* ]] && PATH="$PATH:/usr/local/go/bin"

log() { printf '[testbed %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'testbed: %s\n' "$*" >&2; exit 1; }

# Directory for one component's binaries, keyed by its pinned version.
bin_dir() { echo "$BIN_CACHE/$1-$2"; }

# Runs "$3..." to fill bin_dir "$1" "$2" unless it was completed before (a .done stamp marks success).
cached_build() {
  local name=$1 version=$2; shift 2
  local dir; dir=$(bin_dir "$name" "$version")
  if [[ -f "$dir/.done" ]]; then log "$name $version: cached"; return 0; fi
  rm -rf "$dir"; mkdir -p "$dir"
  local started=$SECONDS
  log "$name $version: building"
  "$@" "$dir"
  touch "$dir/.done"
  log "$name $version: built in $((SECONDS - started))s"
}

# Our own components (testbed/images/<name>) are keyed by the hash of their sources.
source_key() { (cd "$TESTBED_DIR/images/$1" && cat $(find . -type f | sort)) | sha256sum | cut -c1-12; }

# Docker image present locally?
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# Build tags of Kubernetes' own release builds (hack/lib/golang.sh) plus grpcnotrace; the same tags for
# every build around k8s.io/kubernetes keep the shared Go build cache useful across them.
KUBE_GO_TAGS=selinux,notest,grpcnotrace

# k8s.io/kubernetes replaces its staging modules with local paths, which `go install` refuses.
# A wrapper module of our own (created in "$1", which becomes the working directory) pins each staging
# module to its published v0.<minor>.<patch> tag instead. Sets KUBE_COMMIT for kube_version_ldflags.
kube_wrapper_module() {
  local src=$1 k=${KUBERNETES_VERSION#v} upstream_mod
  local staging=v0.${k#*.}   # 1.32.13 -> v0.32.13
  rm -rf "$src"; mkdir -p "$src"; cd "$src"
  upstream_mod=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | jq -r .GoMod)
  KUBE_COMMIT=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | jq -r '.Origin.Hash // empty')
  go mod init kubeproof.local/kube-build >/dev/null 2>&1
  # The main module decides language version and GODEBUG defaults: take upstream's.
  go mod edit -go="$(awk '$1=="go"{print $2; exit}' "$upstream_mod")"
  grep '^godebug' "$upstream_mod" | while read -r _ kv; do go mod edit -godebug="$kv"; done
  sed -n 's#^[[:space:]]*\(k8s\.io/[a-z0-9-]*\) => \./staging/.*#\1#p' "$upstream_mod" | while read -r m; do
    go mod edit -replace="$m=$m@$staging"
  done
  go get "k8s.io/kubernetes@$KUBERNETES_VERSION" >/dev/null
}

# Without these, every component reports v0.0.0-master and kubeadm derives wrong image tags.
kube_version_ldflags() {
  local k=${KUBERNETES_VERSION#v} minor ld="" kv p
  minor=${k#*.}; minor=${minor%%.*}
  for kv in "gitVersion=$KUBERNETES_VERSION" gitMajor=1 "gitMinor=$minor" "gitCommit=${KUBE_COMMIT:-unknown}" \
            gitTreeState=clean "buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"; do
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do ld+=" -X $p.$kv"; done
  done
  echo "${ld# }"
}

# KUBEPROOF_CLUSTER_LOCK= (empty) switches cluster locking off.
CLUSTER_LOCK=${KUBEPROOF_CLUSTER_LOCK-/tmp/kubeproof-cluster.lock}
LOCK_WAIT=0   # seconds `locked` spent waiting while others held the cluster

# The cluster is shared: everything that touches it runs under one flock. A caller that already holds it
# (e.g. `flock /tmp/kubeproof-cluster.lock npm test`) is detected, so this script never waits on itself.
lock_held_by_ancestor() {
  [[ -e $CLUSTER_LOCK ]] || return 1
  local ino holders p
  ino=$(stat -c %i "$CLUSTER_LOCK")
  holders=" $(awk -v ino="$ino" '$2 == "FLOCK" { n = split($6, a, ":"); if (a[n] == ino) print $5 }' /proc/locks | tr '\n' ' ') "
  p=$$
  while [[ -n $p && $p -gt 1 ]]; do
    [[ $holders == *" $p "* ]] && return 0
    # The ppid is the 2nd field after the command name, which may hold spaces and parentheses ("npm test").
    p=$(sed -n 's/.*) //p' "/proc/$p/stat" 2>/dev/null | awk '{print $2}')
  done
  return 1
}

# Runs "$@" (a command or a function of this script) holding the lock, released right after.
locked() {
  if [[ -z $CLUSTER_LOCK ]] || lock_held_by_ancestor; then "$@"; return; fi
  local fd rc=0
  exec {fd}>>"$CLUSTER_LOCK"
  if ! flock -n "$fd"; then
    local waited=$SECONDS
    log "waiting for the cluster lock ($CLUSTER_LOCK)"; flock "$fd"
    LOCK_WAIT=$((LOCK_WAIT + SECONDS - waited))
  fi
  "$@" || rc=$?
  flock -u "$fd"; exec {fd}>&-
  return "$rc"
}
