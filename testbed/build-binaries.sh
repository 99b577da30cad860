#!/usr/bin/env bash
# Builds every Go binary the testbed needs from the Go module proxy (nothing else is downloaded).
# Each component lands in $KUBEPROOF_CACHE/bin/<name>-<version>/ and is rebuilt only when its version changes.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KUBE_COMMANDS=(kube-apiserver kube-controller-manager kube-scheduler kube-proxy kubelet kubeadm kubectl)

# k8s.io/kubernetes cannot be built with `go install` (local staging replaces): kube_wrapper_module (lib.sh).
build_kube() {
  local out=$1 c pkgs=()
  kube_wrapper_module "$KUBEPROOF_CACHE/src/kube-$KUBERNETES_VERSION"
  for c in "${KUBE_COMMANDS[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  go get "${pkgs[@]/%/@$KUBERNETES_VERSION}" >/dev/null
  go build -p "$(nproc)" -trimpath -tags "$KUBE_GO_TAGS" -ldflags "-s -w $(kube_version_ldflags)" -o "$out/" "${pkgs[@]}"
}

# etcd's server module also carries local replaces; same wrapper trick.
build_etcd() {
  local out=$1 src="$KUBEPROOF_CACHE/src/etcd-$ETCD_MODULE_VERSION"
  rm -rf "$src"; mkdir -p "$src"; cd "$src"
  go mod init kubeproof.local/etcd-build >/dev/null 2>&1
  go get "go.etcd.io/etcd/server/v3@$ETCD_MODULE_VERSION" >/dev/null
  go build -trimpath -ldflags "-s -w" -o "$out/etcd" go.etcd.io/etcd/server/v3
}

go_install() { # out module@version
  GOBIN=$1 go install -trimpath -ldflags "-s -w" "$2"
}

build_pause() { cd "$TESTBED_DIR/images/pause" && go build -trimpath -ldflags "-s -w" -o "$1/pause" . ; }
build_netpol() { cd "$TESTBED_DIR/images/netpol" && go build -trimpath -ldflags "-s -w" -o "$1/kubeproof-netpol" . ; }

main() {
  local only=${1:-all}
  command -v go >/dev/null || die "Go is needed to build the cluster offline (Go >= 1.23, or >= 1.21 with GOTOOLCHAIN=auto): install it from go.dev or your distribution and retry"
  want() { [[ $only == all || $only == "$1" ]]; }
  want kind && cached_build kind "$KIND_VERSION" go_install_kind
  want kube && cached_build kube "$KUBERNETES_VERSION" build_kube
  want etcd && cached_build etcd "$ETCD_MODULE_VERSION" build_etcd
  want coredns && cached_build coredns "$COREDNS_VERSION" go_install_coredns
  want metrics-server && cached_build metrics-server "$METRICS_SERVER_VERSION" go_install_metrics
  want local-path && cached_build local-path-provisioner "$LOCAL_PATH_PROVISIONER_VERSION" go_install_localpath
  want netpol && cached_build kubeproof-netpol "$(source_key netpol)" build_netpol
  want pause && cached_build pause "$PAUSE_TAG-$(source_key pause)" build_pause
  want vegeta && cached_build vegeta "$VEGETA_VERSION" go_install_vegeta
  want actionlint && cached_build actionlint "$ACTIONLINT_VERSION" go_install_actionlint
  want traefik && cached_build traefik "$TRAEFIK_VERSION" build_traefik
  return 0
}
go_install_kind() { go_install "$1" "sigs.k8s.io/kind@$KIND_VERSION"; }
go_install_coredns() { go_install "$1" "github.com/coredns/coredns@$COREDNS_VERSION"; }
go_install_metrics() { go_install "$1" "sigs.k8s.io/metrics-server/cmd/metrics-server@$METRICS_SERVER_VERSION"; }
go_install_localpath() { go_install "$1" "github.com/rancher/local-path-provisioner@$LOCAL_PATH_PROVISIONER_VERSION"; }
# The load generator (src/load/): `vegeta -version` names the pinned version instead of an empty one.
go_install_vegeta() { GOBIN=$1 go install -trimpath -ldflags "-s -w -X main.Version=$VEGETA_VERSION" "github.com/tsenart/vegeta/v12@$VEGETA_VERSION"; }
# The workflow linter (npm run lint:workflows); its version flag names the pinned version.
go_install_actionlint() { GOBIN=$1 go install -trimpath -ldflags "-s -w -X github.com/rhysd/actionlint.version=$ACTIONLINT_VERSION" "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"; }
# The ingress controller (@ingress). Its go.mod carries replace directives, which `go install` refuses:
# a wrapper module of our own repeats them (read from the published go.mod) and builds its command.
build_traefik() {
  local out=$1 src="$KUBEPROOF_CACHE/src/traefik-$TRAEFIK_VERSION" upstream_mod
  rm -rf "$src"; mkdir -p "$src"; cd "$src"
  upstream_mod=$(go mod download -json "github.com/traefik/traefik/v3@$TRAEFIK_VERSION" | jq -r .GoMod)
  go mod init kubeproof.local/traefik-build >/dev/null 2>&1
  go mod edit -go="$(awk '$1=="go"{print $2; exit}' "$upstream_mod")"
  sed -n 's#^[[:space:]]*\([^[:space:]]*\) => \([^[:space:]]*\) \(v[^[:space:]]*\)$#\1=\2@\3#p' "$upstream_mod" | while read -r r; do
    go mod edit -replace="$r"
  done
  go get "github.com/traefik/traefik/v3/cmd/traefik@$TRAEFIK_VERSION" >/dev/null
  go build -p "$(nproc)" -trimpath -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION" \
    -o "$out/traefik" github.com/traefik/traefik/v3/cmd/traefik
}
main "$@"
