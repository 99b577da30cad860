#!/usr/bin/env bash
# Makes a Docker engine available on a Debian host: installs Debian's docker.io when dockerd is missing,
# registers a runc wrapper when the host's capability bounding set lacks CAP_SYS_RESOURCE (kind's
# privileged nodes cannot start there otherwise), raises inotify limits for multi-node kind, and starts
# dockerd when it is not running. Idempotent: safe to run any number of times.
set -euo pipefail
log() { printf '[docker %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'provision-docker: %s\n' "$*" >&2; exit 1; }

WRAPPER=/usr/local/bin/runc-drop-sys-resource
DOCKERD_LOG=/var/log/kubeproof-dockerd.log

install_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v jq >/dev/null || missing+=(jq)
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
  [[ ${#missing[@]} -eq 0 ]] && return 0
  [[ $(id -u) -eq 0 ]] || die "need root to install ${missing[*]} (run: sudo apt-get install ${missing[*]})"
  log "installing ${missing[*]} from Debian's archive"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Bit 24 of CapBnd is CAP_SYS_RESOURCE.
host_lacks_sys_resource() {
  local mask; mask=$(awk '/^CapBnd:/{print $2}' /proc/self/status)
  (( (16#$mask >> 24 & 1) == 0 ))
}

write_runc_wrapper() {
  cat >"$WRAPPER.tmp" <<'WRAP'
#!/bin/bash
# Written by kubeproof's testbed/provision-docker.sh. This host's bounding set has no CAP_SYS_RESOURCE,
# yet Docker asks for it in every privileged container; runc then fails with "unable to apply caps".
# Remove it from the OCI spec runc is about to apply, then hand over to the real runc unchanged.
# `runc create` reads the spec from <bundle>/config.json; `runc exec` (docker exec) from --process <file>.
bundle=""
process=""
prev=""
for arg in "$@"; do
  case "$prev" in --bundle|-b) bundle=$arg ;; --process|-p) process=$arg ;; esac
  case "$arg" in --bundle=*) bundle=${arg#--bundle=} ;; --process=*) process=${arg#--process=} ;; esac
  prev=$arg
done
drop() { # file jq-path-to-capabilities-object
  [ -f "$1" ] || return 0
  jq -c "($2 // {}) |= with_entries(.value |= map(select(. != \"CAP_SYS_RESOURCE\")))" "$1" >"$1.kubeproof" &&
    mv "$1.kubeproof" "$1"
}
[ -n "$bundle" ] && drop "$bundle/config.json" .process.capabilities
[ -n "$process" ] && drop "$process" .capabilities
exec /usr/sbin/runc "$@"
WRAP
  chmod 0755 "$WRAPPER.tmp"; mv "$WRAPPER.tmp" "$WRAPPER"
}

raise_inotify_limits() {
  # kind's known-issues page: multi-node clusters exhaust the default inotify instances (128).
  sysctl -qw fs.inotify.max_user_instances=512 fs.inotify.max_user_watches=524288 2>/dev/null ||
    log "could not raise inotify limits (not fatal)"
}

docker_works() { docker info >/dev/null 2>&1; }

# A dockerd that is still starting or shutting down owns the pid file: wait for it instead of racing it.
wait_for_existing_dockerd() {
  pgrep -x dockerd >/dev/null || return 1
  log "a dockerd process exists but does not answer yet: waiting up to 60 s"
  local i
  for i in $(seq 1 60); do
    docker_works && return 0
    pgrep -x dockerd >/dev/null || return 1
    sleep 1
  done
  die "dockerd (pid $(pgrep -x dockerd | tr '\n' ' ')) does not answer; stop it (kill it) and rerun this script"
}

start_dockerd() {
  local args=()
  if host_lacks_sys_resource; then
    log "host bounding set lacks CAP_SYS_RESOURCE: using $WRAPPER as default runtime"
    args+=(--add-runtime "kubeproof-runc=$WRAPPER" --default-runtime kubeproof-runc)
  fi
  log "starting dockerd (log: $DOCKERD_LOG)"
  nohup dockerd "${args[@]}" >>"$DOCKERD_LOG" 2>&1 &
  local i
  for i in $(seq 1 60); do docker_works && return 0; sleep 1; done
  tail -20 "$DOCKERD_LOG" >&2
  die "dockerd did not answer within 60 s (see $DOCKERD_LOG)"
}

check_privileged_run() {
  # kind needs privileged containers; prove they start before anything else depends on it.
  local img=kubeproof/docker-probe:1
  if ! docker image inspect "$img" >/dev/null 2>&1; then
    tar -C "$(mktemp -d)" -c . | docker import - "$img" >/dev/null
  fi
  local out
  if ! out=$(docker run --rm --privileged --entrypoint /nonexistent "$img" 2>&1) &&
     grep -q 'unable to apply caps' <<<"$out"; then
    die "privileged containers cannot start: $out. Restart dockerd with: dockerd --add-runtime kubeproof-runc=$WRAPPER --default-runtime kubeproof-runc"
  fi
}

install_packages
host_lacks_sys_resource && write_runc_wrapper
raise_inotify_limits
if docker_works; then log "dockerd already running"; elif wait_for_existing_dockerd; then log "dockerd answered"; else start_dockerd; fi
check_privileged_run
log "docker ready: $(docker version --format '{{.Server.Version}}')"
