#!/usr/bin/env bash
# Builds Debian root filesystems with mmdebstrap (Debian's archive is the only source) and imports them
# as Docker images. The image tag is a hash of suite + package list, so a rootfs is rebuilt only when that changes.
#   kubeproof/node-rootfs  systemd, containerd, runc, CNI plugins and network tools: the kind node base
#   kubeproof/debian-net   a small userland with iptables/nftables/iproute2 for kube-proxy, networking daemons
#   kubeproof/probe        curl + busybox for probe pods
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NODE_PACKAGES=(systemd systemd-sysv dbus conntrack iptables nftables iproute2 ethtool util-linux mount kmod
  libseccomp2 pigz bash ca-certificates curl jq procps containerd runc containernetworking-plugins
  e2fsprogs socat less)
NET_PACKAGES=(bash coreutils iptables nftables conntrack iproute2 kmod procps)
# Probe pods (cluster checks, reachability tests): curl for exit-code-precise connects, busybox for httpd/nslookup.
PROBE_PACKAGES=(bash coreutils curl busybox iproute2 ca-certificates netcat-openbsd)

rootfs_tag() { # name packages...
  local name=$1; shift
  echo "kubeproof/$name:$DEBIAN_SUITE-$(printf '%s\n' "$DEBIAN_SUITE" "$@" | sha256sum | cut -c1-12)"
}

build_rootfs() { # name packages...
  local name=$1; shift
  local tag; tag=$(rootfs_tag "$name" "$@")
  if have_image "$tag"; then log "$tag: cached"; echo "$tag"; return 0; fi
  local dir; dir=$(mktemp -d "${TMPDIR:-/tmp}/kubeproof-$name.XXXXXX")
  local include; include=$(IFS=,; echo "$*")
  local started=$SECONDS
  log "$tag: mmdebstrap $DEBIAN_SUITE (${#@} packages)"
  # Security updates come from the same archive; docs and man pages are dropped to keep images small.
  mmdebstrap --quiet --variant=minbase --include="$include" \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    "$DEBIAN_SUITE" "$dir" \
    "deb http://deb.debian.org/debian $DEBIAN_SUITE main" \
    "deb http://deb.debian.org/debian $DEBIAN_SUITE-updates main" \
    "deb http://deb.debian.org/debian-security $DEBIAN_SUITE-security main" >&2
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*
  tar -C "$dir" --numeric-owner -c . | docker import - "$tag" >/dev/null
  rm -rf "$dir"
  log "$tag: imported in $((SECONDS - started))s"
  echo "$tag"
}

case "${1:-all}" in
  node) build_rootfs node-rootfs "${NODE_PACKAGES[@]}" ;;
  net) build_rootfs debian-net "${NET_PACKAGES[@]}" ;;
  probe) build_rootfs probe "${PROBE_PACKAGES[@]}" ;;
  tag-node) rootfs_tag node-rootfs "${NODE_PACKAGES[@]}" ;;
  tag-probe) rootfs_tag probe "${PROBE_PACKAGES[@]}" ;;
  tag-net) rootfs_tag debian-net "${NET_PACKAGES[@]}" ;;
  all) build_rootfs node-rootfs "${NODE_PACKAGES[@]}"; build_rootfs debian-net "${NET_PACKAGES[@]}"
       build_rootfs probe "${PROBE_PACKAGES[@]}" ;;
  *) die "usage: build-rootfs.sh [node|net|probe|all|tag-node|tag-net|tag-probe]" ;;
esac
