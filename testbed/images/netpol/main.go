// kubeproof-netpol enforces Kubernetes NetworkPolicies on one node with iptables. It exists because the
// usual kind enforcer (kube-network-policies) needs the kernel's nft "queue" expression, which kernels
// without CONFIG_NFT_QUEUE lack; plain iptables matches work everywhere.
//
// Model: every pod-to-pod packet crosses FORWARD on the sender's node and on the receiver's node (and
// INPUT when a pod talks to its own node). RootChain sends packets of selected local pods through one
// chain per pod and direction; allowed peers RETURN, the rest is dropped. Traffic from the node itself
// (kubelet probes) goes through OUTPUT and is never filtered, as NetworkPolicy intends.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"
)

func main() {
	nodeName := flag.String("node-name", os.Getenv("NODE_NAME"), "name of the node this instance enforces on")
	resync := flag.Duration("resync", 30*time.Second, "full re-apply period, in case rules were flushed by someone else")
	flag.Parse()
	if *nodeName == "" {
		log.Fatal("--node-name (or NODE_NAME) is required")
	}
	config, err := rest.InClusterConfig()
	if err != nil {
		log.Fatalf("in-cluster config: %v", err)
	}
	client := kubernetes.NewForConfigOrDie(config)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	factory := informers.NewSharedInformerFactory(client, *resync)
	pods := factory.Core().V1().Pods()
	namespaces := factory.Core().V1().Namespaces()
	policies := factory.Networking().V1().NetworkPolicies()
	changed := make(chan struct{}, 1)
	notify := func() {
		select {
		case changed <- struct{}{}:
		default:
		}
	}
	handler := cache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { notify() },
		UpdateFunc: func(any, any) { notify() },
		DeleteFunc: func(any) { notify() },
	}
	for _, inf := range []cache.SharedIndexInformer{pods.Informer(), namespaces.Informer(), policies.Informer()} {
		if _, err := inf.AddEventHandler(handler); err != nil {
			log.Fatalf("event handler: %v", err)
		}
	}
	factory.Start(ctx.Done())
	factory.WaitForCacheSync(ctx.Done())
	log.Printf("kubeproof-netpol on %s: caches synced", *nodeName)

	var owned []string
	apply := func() {
		snap := Snapshot{NodeName: *nodeName}
		podList, _ := pods.Lister().List(labels.Everything())
		nsList, _ := namespaces.Lister().List(labels.Everything())
		polList, _ := policies.Lister().List(labels.Everything())
		snap.Pods, snap.Namespaces, snap.Policies = podList, nsList, polList
		rules := Build(snap)
		next, err := applyRules(rules, owned)
		if err != nil {
			log.Printf("apply failed (will retry): %v", err)
			notify()
			return
		}
		owned = next
	}
	ticker := time.NewTicker(*resync)
	defer ticker.Stop()
	apply()
	for {
		select {
		case <-ctx.Done():
			// Leave the rules in place: pods stay isolated while the enforcer restarts.
			log.Printf("stopping")
			return
		case <-changed:
			// Coalesce bursts (a rollout changes many pods at once), but stay well under a second.
			time.Sleep(100 * time.Millisecond)
			apply()
		case <-ticker.C:
			apply()
		}
	}
}

// applyRules installs the ruleset atomically, hooks RootChain into FORWARD and INPUT, and removes
// per-pod chains that the new ruleset no longer defines. It returns the chains now owned.
func applyRules(r Ruleset, previouslyOwned []string) ([]string, error) {
	existing, err := ourChains()
	if err != nil {
		return previouslyOwned, err
	}
	keep := map[string]bool{}
	for _, c := range r.Chains {
		keep[c] = true
	}
	var stale []string
	for _, c := range existing {
		if !keep[c] {
			stale = append(stale, c)
		}
	}
	restore := r.Restore
	if len(stale) > 0 {
		// Flush and delete in the same transaction: RootChain no longer references them.
		var extra strings.Builder
		for _, c := range stale {
			fmt.Fprintf(&extra, ":%s - [0:0]\n", c)
		}
		for _, c := range stale {
			fmt.Fprintf(&extra, "-X %s\n", c)
		}
		restore = strings.Replace(restore, "COMMIT\n", extra.String()+"COMMIT\n", 1)
	}
	cmd := exec.Command("iptables-restore", "--noflush", "--wait")
	cmd.Stdin = strings.NewReader(restore)
	if out, err := cmd.CombinedOutput(); err != nil {
		return previouslyOwned, fmt.Errorf("iptables-restore: %v: %s\ninput:\n%s", err, out, restore)
	}
	for _, chain := range []string{"FORWARD", "INPUT"} {
		if err := hookFirst(chain); err != nil {
			return previouslyOwned, err
		}
	}
	sort.Strings(r.Chains)
	return r.Chains, nil
}

// hookFirst makes the jump to RootChain the first rule of chain. Anything before it could accept what a
// policy forbids: kube-proxy's KUBE-FORWARD accepts every established and every masquerade-marked packet,
// and kube-proxy prepends its jumps when it (re)starts after us.
func hookFirst(chain string) error {
	out, err := exec.Command("iptables", "-w", "-S", chain).Output()
	if err != nil {
		return fmt.Errorf("iptables -S %s: %v", chain, err)
	}
	present, first := hookPosition(string(out), chain)
	if first {
		return nil
	}
	jump := []string{"-m", "comment", "--comment", hookComment, "-j", RootChain}
	if present {
		if out, err := exec.Command("iptables", append([]string{"-w", "-D", chain}, jump...)...).CombinedOutput(); err != nil {
			return fmt.Errorf("unhook %s: %v: %s", chain, err, out)
		}
	}
	if out, err := exec.Command("iptables", append([]string{"-w", "-I", chain, "1"}, jump...)...).CombinedOutput(); err != nil {
		return fmt.Errorf("hook %s: %v: %s", chain, err, out)
	}
	if present {
		log.Printf("moved the %s hook back to the top (something was inserted before it)", chain)
	}
	return nil
}

func ourChains() ([]string, error) {
	out, err := exec.Command("iptables", "-w", "-S").Output()
	if err != nil {
		return nil, fmt.Errorf("iptables -S: %v", err)
	}
	var chains []string
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "-N "+chainPrefix) {
			chains = append(chains, strings.TrimPrefix(line, "-N "))
		}
	}
	return chains, nil
}
