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
