#!/usr/bin/env bash
# Runs the upstream Kubernetes NetworkPolicy e2e specs (test/e2e/network/netpol of the pinned
# k8s.io/kubernetes) against the testbed cluster, with the upstream e2e.test binary and its own flags.
#   netpol.sh full            build (cached) + every spec of test/e2e/network/netpol      -> reports/netpol-conformance/
#   netpol.sh fast            build (cached) + the few specs of FAST_SPECS (npm test)     -> reports/netpol-conformance-fast/
#   netpol.sh build           only build e2e.test, agnhost and the agnhost image
#   netpol.sh list            the specs a full run selects, with their upstream file:line
#   netpol.sh run REGEX       only the specs whose full name matches REGEX (extended regex) -> reports/netpol-conformance-focus/
#   netpol.sh enforcer        roll the enforcer of this checkout (testbed/images/netpol) out to the running cluster
# Each spec runs as its own e2e.test process under the shared cluster lock, so other users of the
# cluster interleave between specs. Prints "N passed, M failed, K skipped" and writes a JUnit file.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
CONFORMANCE_DIR="$TESTBED_DIR/conformance"

KUBECTL="$(bin_dir kube "$KUBERNETES_VERSION")/kubectl"
E2E_DIR=$(bin_dir kube-e2e "$KUBERNETES_VERSION")
E2E="$E2E_DIR/e2e.test"
CONTEXT="kind-$CLUSTER_NAME"
KUBECONFIG_FILE=${KUBECONFIG:-$HOME/.kube/config}
KUBECONFIG_FILE=${KUBECONFIG_FILE%%:*}
# Without any focus the e2e framework skips every [Feature:…] spec; the file filter picks the specs, this
# focus (every spec of the netpol directory carries it) only lifts that default.
FOCUS='\[sig-network\] Netpol'
# Upper bound for one spec (the slowest upstream specs probe the 81-pair matrix four times).
SPEC_TIMEOUT=${NETPOL_SPEC_TIMEOUT:-15m}

# The fast subset (npm test): one spec per enforcer feature that a regression would most likely hit —
# ingress+egress isolation, namespace+pod selectors in one peer, named ports (ingress resolves on the
# local pod, egress per destination: the spec that caught a real bug), ipBlock with except, UDP.
FAST_SPECS=(
  "NetworkPolicy between server and client should support a 'default-deny-all' policy"
  "NetworkPolicy between server and client should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector"
  "NetworkPolicy between server and client should allow ingress access on one named port"
  "NetworkPolicy between server and client should allow egress access on one named port"
  "NetworkPolicy between server and client should enforce except clause while egress access to server in CIDR block"
  "NetworkPolicy between server and client using UDP should support a 'default-deny-ingress' policy"
)

# ---------------------------------------------------------------------------------------------- build

# e2e.test is `go test -c` of k8s.io/kubernetes/test/e2e; agnhost (the suite's server and client) comes
# from the same module, so both match the pinned version exactly.
build_e2e() {
  local out=$1 ld total started=$SECONDS
  kube_wrapper_module "$KUBEPROOF_CACHE/src/kube-e2e-$KUBERNETES_VERSION"
  # -t: the e2e package is a test package; its _test.go imports pull in most of the suite.
  go get -t "k8s.io/kubernetes/test/e2e@$KUBERNETES_VERSION" "k8s.io/kubernetes/test/images/agnhost@$KUBERNETES_VERSION" >/dev/null
  # Packages named on a go build command line must come from modules go.mod lists; require them all at
  # the versions already selected, so the dependencies can be compiled on their own (for progress).
  go list -deps -test -tags "$KUBE_GO_TAGS" -f '{{with .Module}}{{if not .Main}}-require={{.Path}}@{{.Version}}{{end}}{{end}}' \
    k8s.io/kubernetes/test/e2e | sort -u | xargs go mod edit
  ld="-s -w $(kube_version_ldflags)"
  # go test -c prints nothing for many minutes; compile the dependencies first with -v to show progress.
  local deps; deps=$(go list -deps -test -tags "$KUBE_GO_TAGS" -f '{{if not .Standard}}{{.ImportPath}}{{end}}' k8s.io/kubernetes/test/e2e |
    grep -v -e ' \[' -e '\.test$' -e '^$' | grep -vx 'k8s.io/kubernetes/test/e2e')
  # go build -v also names the standard-library packages it compiles: count them in the total.
  total=$(go list -deps -test -tags "$KUBE_GO_TAGS" k8s.io/kubernetes/test/e2e | grep -v -e ' \[' -e '\.test$' | grep -vxc 'k8s.io/kubernetes/test/e2e')
  log "e2e.test: compiling up to $total packages (Go build cache shared with the cluster binaries)"
  # shellcheck disable=SC2086
  nice -n 10 go build -v -p "$(nproc)" -trimpath -tags "$KUBE_GO_TAGS" $deps 2>&1 | progress "$total" "$started"
  log "e2e.test: linking"
  nice -n 10 go test -c -trimpath -tags "$KUBE_GO_TAGS" -ldflags "$ld" -o "$out/e2e.test" k8s.io/kubernetes/test/e2e
  nice -n 10 go build -trimpath -tags "$KUBE_GO_TAGS" -ldflags "$ld" -o "$out/agnhost" k8s.io/kubernetes/test/images/agnhost
  # The agnhost release this module's image manifest asks for (test/utils/image/manifest.go).
  "$out/e2e.test" --list-images 2>/dev/null | grep -E '^[a-z0-9.-]+(/[a-z0-9._-]+)*/e2e-test-images/agnhost:' >"$out/agnhost.ref"
  [[ $(wc -l <"$out/agnhost.ref") -eq 1 ]] || die "e2e.test --list-images names no single agnhost image"
}

# Reads `go build -v` output (one package per line) and logs a count every 30 s; errors pass through.
progress() {
  local total=$1 started=$2 n=0 last=$SECONDS line
  while IFS= read -r line; do
    if [[ $line =~ ^[a-zA-Z0-9._~/-]+$ ]]; then
      n=$((n + 1))
      if ((SECONDS - last >= 30)); then log "e2e.test: compiled $n/$total packages ($((SECONDS - started))s)"; last=$SECONDS; fi
    else
      printf '%s\n' "$line" >&2
    fi
  done
  log "e2e.test: $n packages compiled ($((n < total ? total - n : 0)) were cached)"
}

# The agnhost image under the exact name the suite uses, plus a content-keyed alias that tells whether
# the nodes already hold this very build.
build_agnhost_image() {
  local base key ctx out
  AGNHOST_REF=$(cat "$E2E_DIR/agnhost.ref")
  base=$("$TESTBED_DIR/build-rootfs.sh" probe)
  key=$( (cat "$CONFORMANCE_DIR/agnhost.Dockerfile" "$E2E_DIR/agnhost"; echo "$base") | sha256sum | cut -c1-12)
  AGNHOST_ALIAS="kubeproof/agnhost:${AGNHOST_REF##*:}-$key"
  if ! have_image "$AGNHOST_ALIAS"; then
    ctx=$(mktemp -d "${TMPDIR:-/tmp}/kubeproof-ctx.XXXXXX")
    cp "$CONFORMANCE_DIR/agnhost.Dockerfile" "$ctx/Dockerfile"; cp "$E2E_DIR/agnhost" "$ctx/"
    log "image $AGNHOST_REF ($AGNHOST_ALIAS)"
    # The classic builder (docker.io 20.10 without BuildKit) is chatty: its output only on failure.
    out=$(DOCKER_BUILDKIT=0 docker build --build-arg "BASE=$base" -t "$AGNHOST_ALIAS" "$ctx" 2>&1) ||
      { printf '%s\n' "$out" >&2; die "docker build of $AGNHOST_ALIAS failed"; }
    rm -rf "$ctx"
  fi
  docker tag "$AGNHOST_ALIAS" "$AGNHOST_REF"
}

build() {
  command -v go >/dev/null || die "Go is needed to build the upstream e2e suite"
  [[ -x $KUBECTL ]] || "$TESTBED_DIR/build-binaries.sh" kube >&2
  ( cached_build kube-e2e "$KUBERNETES_VERSION" build_e2e )
  build_agnhost_image
}

# Loads the agnhost image into the nodes unless every node already has this build (called under the lock).
ensure_agnhost_loaded() {
  local node missing=0
  for node in $(docker ps --filter "label=io.x-k8s.kind.cluster=$CLUSTER_NAME" --format '{{.Names}}'); do
    docker exec "$node" ctr -n k8s.io images ls -q "name==docker.io/$AGNHOST_ALIAS" | grep -q . || missing=1
  done
  ((missing)) && "$TESTBED_DIR/load-images.sh" "$AGNHOST_REF" "$AGNHOST_ALIAS"
  return 0
}

# ------------------------------------------------------------------------------------------ the specs

# Lists the specs of test/e2e/network/netpol as JSON lines {name, file, line} (ginkgo dry run, no cluster).
list_specs() {
  local report; report=$(mktemp "${TMPDIR:-/tmp}/kubeproof-netpol-list.XXXXXX.json")
  "$E2E" --ginkgo.dry-run --ginkgo.no-color --ginkgo.focus="$FOCUS" --ginkgo.focus-file='/test/e2e/network/netpol/' \
    --ginkgo.json-report="$report" >/dev/null 2>&1 || true
  jq -c '.[0].SpecReports[] | select(.LeafNodeType == "It" and .State != "skipped")
         | {name: ((.ContainerHierarchyTexts + [.LeafNodeText]) | join(" ")),
            file: .LeafNodeLocation.FileName, line: .LeafNodeLocation.LineNumber}' "$report" |
    jq -sc 'sort_by(.file, .line)[]'   # upstream source order, not ginkgo's randomized one
  rm -f "$report"
}

# Why a spec cannot run on this host (empty: it can).
host_limit() {
  case "$1" in
    *"Feature:SCTPConnectivity"*)
      # Nodes share the host kernel; without CONFIG_IP_SCTP there are no SCTP sockets (EPROTONOSUPPORT).
      [[ -d /proc/net/sctp ]] || echo "host kernel has no SCTP sockets (CONFIG_IP_SCTP unset): agnhost cannot serve or connect over SCTP" ;;
  esac
}

# Runs one spec as its own e2e.test process; appends its result to $RESULTS. Called under the lock.
run_spec() { # index total json-spec
  local idx=$1 total=$2 spec=$3 name file line n dir log report rc started=$SECONDS
  name=$(jq -r .name <<<"$spec"); file=$(jq -r .file <<<"$spec"); line=$(jq -r .line <<<"$spec")
  n=$(printf '%02d' "$idx"); dir="$OUT/specs/$n"; log="$OUT/logs/$n.log"; report="$dir/report.json"
  mkdir -p "$dir" "$OUT/logs"
  ensure_agnhost_loaded
  set +e
  "$E2E" --kubeconfig="$KUBECONFIG_FILE" --context="$CONTEXT" --provider=skeleton \
    --ginkgo.focus="$FOCUS" --ginkgo.focus-file="network/netpol/${file##*/}:$line" \
    --ginkgo.no-color --ginkgo.v --ginkgo.timeout="$SPEC_TIMEOUT" --ginkgo.json-report="$report" \
    --report-dir="$dir" --e2e-output-dir="$dir" --disable-log-dump --dump-logs-on-failure=true \
    --kubectl-path="$KUBECTL" >"$log" 2>&1
  rc=$?
  set -e
  local result
  if [[ -s $report ]]; then
    result=$(jq -c --arg name "$name" --arg file "$file" --argjson line "$line" --arg log "${log#"$REPO_DIR"/}" --argjson rc "$rc" '
      .[0].SpecReports as $all
      | ([$all[] | select(.LeafNodeType != "It" and (.State == "failed" or .State == "panicked" or .State == "timedout"))] | first) as $setup
      | ([$all[] | select(.LeafNodeType == "It" and .LeafNodeLocation.FileName == $file and .LeafNodeLocation.LineNumber == $line)] | first) as $it
      | if $setup != null then {name: $name, state: "failed", time: 0, log: $log,
            message: ("suite setup (" + $setup.LeafNodeType + ") failed: " + ($setup.Failure.Message // ""))}
        elif $it == null then {name: $name, state: "failed", time: 0, log: $log, message: "spec not found in the report (exit \($rc))"}
        else {name: $name, state: (if $it.State == "passed" or $it.State == "skipped" then $it.State else "failed" end),
              time: (($it.RunTime // 0) / 1e9), log: $log,
              message: (($it.Failure.Message // "") + (if ($it.Failure.Location.FileName // "") != "" then
                         "\n[\($it.Failure.Location.FileName):\($it.Failure.Location.LineNumber)]" else "" end))}
        end' "$report")
  else
    result=$(jq -nc --arg name "$name" --arg log "${log#"$REPO_DIR"/}" --argjson rc "$rc" \
      '{name: $name, state: "failed", time: 0, log: $log, message: "e2e.test exited \($rc) without a report"}')
  fi
  echo "$result" >>"$RESULTS"
  rm -f "$report"   # thousands of skipped specs: the log and the result line are what matter
  local state; state=$(jq -r .state <<<"$result")
  printf '[%s/%s] %-4s %4ss  %s\n' "$idx" "$total" "$(tr a-z A-Z <<<"${state:0:4}")" $((SECONDS - started)) "$name"
  [[ $state == failed ]] && jq -r '.message | split("\n") | .[0:12] | map("           " + .) | join("\n")' <<<"$result"
  return 0
}

# JUnit XML (one testsuite) from the result lines; jq's @html escaping is valid XML escaping.
write_junit() { # wall-seconds
  jq -rs --arg suite "Kubernetes $KUBERNETES_VERSION e2e: test/e2e/network/netpol on the kubeproof testbed" \
        --arg enforcer "$ENFORCER" --arg wall "$1" --arg ts "$(date -u +%Y-%m-%dT%H:%M:%S)" '
    def clean: gsub("[\u0000-\u0008\u000b\u000c\u000e-\u001f]"; "") | @html;
    (map(select(.state == "failed")) | length) as $f | (map(select(.state == "skipped")) | length) as $s
    | "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
      "<testsuites tests=\"\(length)\" failures=\"\($f)\" errors=\"0\" skipped=\"\($s)\" time=\"\($wall)\">",
      "  <testsuite name=\"\($suite | clean)\" tests=\"\(length)\" failures=\"\($f)\" errors=\"0\" skipped=\"\($s)\" time=\"\($wall)\" timestamp=\"\($ts)\">",
      "    <properties><property name=\"enforcer\" value=\"\($enforcer | clean)\"/></properties>",
      (.[] | "    <testcase name=\"\(.name | clean)\" classname=\"Kubernetes e2e suite\" time=\"\(.time)\">"
             + (if .state == "failed" then "<failure type=\"failed\">\(.message | clean)\n(log: \(.log | clean))</failure>"
                elif .state == "skipped" then "<skipped message=\"\(.message | clean)\"/>" else "" end)
             + "</testcase>"),
      "  </testsuite>", "</testsuites>"' "$RESULTS" >"$OUT/junit.xml"
}

run_selected() { # output-dir specs-jsonl
  OUT=$1
  local specs=$2 total idx=0 spec name why started=$SECONDS
  rm -rf "$OUT"; mkdir -p "$OUT"
  RESULTS="$OUT/results.jsonl"; : >"$RESULTS"
  total=$(grep -c . <<<"$specs") || die "no spec selected"
  ENFORCER=$(locked "$KUBECTL" --context "$CONTEXT" -n kube-system get daemonsets -o jsonpath='{range .items[*]}{.metadata.name}={.spec.template.spec.containers[0].image}{" "}{end}' |
    tr ' ' '\n' | grep -E 'netpol|router|calico|cilium|network-polic' | paste -sd' ' || true)
  log "running $total NetworkPolicy spec(s) of k8s.io/kubernetes $KUBERNETES_VERSION (enforcer: ${ENFORCER:-unknown}); logs in ${OUT#"$REPO_DIR"/}/logs"
  while IFS= read -r spec; do
    [[ -n $spec ]] || continue
    idx=$((idx + 1)); name=$(jq -r .name <<<"$spec")
    why=$(host_limit "$name")
    if [[ -n $why ]]; then
      jq -nc --arg name "$name" --arg why "$why" '{name: $name, state: "skipped", time: 0, log: "", message: ("host limit: " + $why)}' >>"$RESULTS"
      printf '[%s/%s] SKIP    0s  %s\n           (%s)\n' "$idx" "$total" "$name" "$why"
      continue
    fi
    locked run_spec "$idx" "$total" "$spec"
  done <<<"$specs"
  local wall=$((SECONDS - started)) p f s
  write_junit "$wall"
  p=$(jq -s 'map(select(.state == "passed")) | length' "$RESULTS")
  f=$(jq -s 'map(select(.state == "failed")) | length' "$RESULTS")
  s=$(jq -s 'map(select(.state == "skipped")) | length' "$RESULTS")
  echo
  ((f == 0)) || jq -r 'select(.state == "failed") | "  ✘ \(.name)  (\(.log))"' "$RESULTS"
  echo "upstream NetworkPolicy specs on the testbed: $((wall / 60))m$((wall % 60))s wall, of which $((LOCK_WAIT / 60))m$((LOCK_WAIT % 60))s waiting for the cluster lock; JUnit: ${OUT#"$REPO_DIR"/}/junit.xml"
  echo "netpol-conformance: $p passed, $f failed, $s skipped"   # alone on its line: CI reads it as the closing line
  ((f == 0))
}

# Rolls the enforcer built from this checkout's testbed/images/netpol out to the running cluster (the node
# image carries the old one until the cluster is recreated): build, load into the nodes, set the image.
deploy_enforcer() {
  local image ctx base out
  "$TESTBED_DIR/build-binaries.sh" netpol >&2
  image="kubeproof/netpol:$(source_key netpol)"
  if ! have_image "$image"; then
    base=$("$TESTBED_DIR/build-rootfs.sh" net)
    ctx=$(mktemp -d "${TMPDIR:-/tmp}/kubeproof-ctx.XXXXXX")
    cp "$TESTBED_DIR/images/net/Dockerfile" "$(bin_dir kubeproof-netpol "$(source_key netpol)")/kubeproof-netpol" "$ctx/"
    out=$(DOCKER_BUILDKIT=0 docker build --build-arg "BASE=$base" --build-arg BINARY=kubeproof-netpol -t "$image" "$ctx" 2>&1) ||
      { printf '%s\n' "$out" >&2; die "docker build of $image failed"; }
    rm -rf "$ctx"
  fi
  rollout() {
    "$TESTBED_DIR/load-images.sh" "$image"
    "$KUBECTL" --context "$CONTEXT" -n kube-system set image daemonset/kubeproof-netpol "netpol=$image" >/dev/null
    "$KUBECTL" --context "$CONTEXT" -n kube-system rollout status daemonset/kubeproof-netpol --timeout=180s
  }
  locked rollout
  log "enforcer $image is running on every node"
}

main() {
  case "${1:-full}" in
    build) build ;;
    enforcer) deploy_enforcer ;;
    list) build >&2; list_specs | jq -r '"\(.file | sub(".*/test/e2e/"; "test/e2e/")):\(.line)  \(.name)"' ;;
    full) build; run_selected "$REPO_DIR/reports/netpol-conformance" "$(list_specs)" ;;
    fast)
      build
      local all sel="" s
      all=$(list_specs)
      for s in "${FAST_SPECS[@]}"; do
        sel+=$(jq -c --arg s "$s" 'select(.name | contains($s))' <<<"$all" | head -1)$'\n'
        grep -qF -- "$s" <<<"$all" || die "fast subset: no upstream spec named \"$s\" in $KUBERNETES_VERSION"
      done
      run_selected "$REPO_DIR/reports/netpol-conformance-fast" "$sel" ;;
    run)
      [[ -n ${2:-} ]] || die "usage: netpol.sh run REGEX"
      build
      run_selected "$REPO_DIR/reports/netpol-conformance-focus" "$(list_specs | jq -c --arg re "$2" 'select(.name | test($re))')" ;;
    *) die "usage: netpol.sh [full|fast|build|list|run REGEX|enforcer]" ;;
  esac
}
main "$@"; exit $?  # one line: edits to this file while it runs cannot be read past main
