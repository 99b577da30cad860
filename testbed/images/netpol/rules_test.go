package main

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func pod(ns, name, node, ip string, lbls map[string]string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, UID: types.UID(ns + "-" + name), Labels: lbls},
		Spec: corev1.PodSpec{NodeName: node, Containers: []corev1.Container{{Name: "c",
			Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 8080}}}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, PodIP: ip},
	}
}

func ns(name string, lbls map[string]string) *corev1.Namespace {
	return &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: lbls}}
}

func policy(nsName, name string, spec networkingv1.NetworkPolicySpec) *networkingv1.NetworkPolicy {
	return &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Namespace: nsName, Name: name}, Spec: spec}
}

func tcp(port int) networkingv1.NetworkPolicyPort {
	p := intstr.FromInt32(int32(port))
	proto := corev1.ProtocolTCP
	return networkingv1.NetworkPolicyPort{Protocol: &proto, Port: &p}
}

var (
	db     = pod("shop", "db", "n1", "10.0.1.5", map[string]string{"app": "db"})
	api    = pod("shop", "api", "n2", "10.0.2.7", map[string]string{"app": "api"})
	front  = pod("shop", "front", "n1", "10.0.1.9", map[string]string{"app": "front"})
	other  = pod("other", "client", "n2", "10.0.2.8", map[string]string{"app": "api"})
	spaces = []*corev1.Namespace{ns("shop", map[string]string{"kubernetes.io/metadata.name": "shop"}),
		ns("other", map[string]string{"kubernetes.io/metadata.name": "other", "team": "blue"})}
)

func chainBody(t *testing.T, restore, chain string) []string {
	t.Helper()
	var out []string
	for _, l := range strings.Split(restore, "\n") {
		if strings.HasPrefix(l, "-A "+chain+" ") {
			out = append(out, l)
		}
	}
	return out
}

func TestUnselectedPodsGetNoRules(t *testing.T) {
	r := Build(Snapshot{NodeName: "n1", Pods: []*corev1.Pod{db, front}, Namespaces: spaces})
	if len(r.Chains) != 0 {
		t.Fatalf("no policy should mean no per-pod chains, got %v", r.Chains)
	}
	if !strings.Contains(r.Restore, ":KUBEPROOF-NP - [0:0]") {
		t.Fatalf("root chain must always be declared (that flushes it):\n%s", r.Restore)
	}
}

func TestDefaultDenyDropsEverythingToSelectedLocalPods(t *testing.T) {
	deny := policy("shop", "deny", networkingv1.NetworkPolicySpec{PolicyTypes: []networkingv1.PolicyType{"Ingress"}})
	r := Build(Snapshot{NodeName: "n1", Pods: []*corev1.Pod{db, front, api}, Namespaces: spaces, Policies: []*networkingv1.NetworkPolicy{deny}})
	if len(r.Chains) != 2 {
		t.Fatalf("expected chains for the 2 local pods (db, front), got %v", r.Chains)
	}
	body := chainBody(t, r.Restore, podChain(db, "Ingress"))
	if len(body) != 1 || !strings.Contains(body[0], "-j DROP") {
		t.Fatalf("default deny must be a single DROP, got %v", body)
	}
	if strings.Contains(r.Restore, api.Status.PodIP+"/32 -m comment --comment \"ingress") {
		t.Fatalf("api runs on another node and must not be hooked here:\n%s", r.Restore)
	}
}

func TestAllowFromPodSelectorOnPortOnly(t *testing.T) {
	allow := policy("shop", "db-from-api", networkingv1.NetworkPolicySpec{
		PodSelector: metav1.LabelSelector{MatchLabels: map[string]string{"app": "db"}},
		Ingress: []networkingv1.NetworkPolicyIngressRule{{
			From:  []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "api"}}}},
			Ports: []networkingv1.NetworkPolicyPort{tcp(5432)},
		}},
	})
	r := Build(Snapshot{NodeName: "n1", Pods: []*corev1.Pod{db, front, api, other}, Namespaces: spaces, Policies: []*networkingv1.NetworkPolicy{allow}})
	body := strings.Join(chainBody(t, r.Restore, podChain(db, "Ingress")), "\n")
	if !strings.Contains(body, "-s 10.0.2.7/32 -p tcp -m tcp --dport 5432") {
		t.Fatalf("api (same namespace) must be allowed on 5432:\n%s", body)
	}
	if strings.Contains(body, "10.0.2.8") {
		t.Fatalf("a pod labelled app=api in ANOTHER namespace must not be allowed by a bare podSelector:\n%s", body)
	}
	if strings.Contains(body, "10.0.1.9") {
		t.Fatalf("front must not be allowed:\n%s", body)
	}
	if chainBody(t, r.Restore, podChain(front, "Ingress")) != nil {
		t.Fatalf("front is not selected by the policy and must stay open")
	}
}

func TestNamespaceSelectorAndIPBlockExcept(t *testing.T) {
	pol := policy("shop", "mixed", networkingv1.NetworkPolicySpec{
		PodSelector: metav1.LabelSelector{MatchLabels: map[string]string{"app": "db"}},
		Ingress: []networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{
			{NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"team": "blue"}}},
			{IPBlock: &networkingv1.IPBlock{CIDR: "172.20.0.0/16", Except: []string{"172.20.0.9/32"}}},
		}}},
	})
	r := Build(Snapshot{NodeName: "n1", Pods: []*corev1.Pod{db, api, other}, Namespaces: spaces, Policies: []*networkingv1.NetworkPolicy{pol}})
	body := strings.Join(chainBody(t, r.Restore, podChain(db, "Ingress")), "\n")
	if !strings.Contains(body, "-s 10.0.2.8/32") || strings.Contains(body, "-s 10.0.2.7/32") {
		t.Fatalf("only pods of namespaces labelled team=blue may come in:\n%s", body)
	}
	if len(r.Chains) != 2 {
		t.Fatalf("expected the pod chain plus one ipBlock sub-chain, got %v", r.Chains)
	}
	sub := strings.Join(chainBody(t, r.Restore, r.Chains[1]), "\n")
	if !strings.Contains(sub, "-s 172.20.0.9/32 -j RETURN") || !strings.Contains(sub, "MARK --set-xmark "+allowMark) {
		t.Fatalf("ipBlock sub-chain must skip the exception and mark the rest allowed:\n%s", sub)
	}
}

func TestEgressNamedPortResolvesPerDestination(t *testing.T) {
	named := intstr.FromString("http")
	pol := policy("shop", "front-egress", networkingv1.NetworkPolicySpec{
		PodSelector: metav1.LabelSelector{MatchLabels: map[string]string{"app": "front"}},
		PolicyTypes: []networkingv1.PolicyType{"Egress"},
		Egress: []networkingv1.NetworkPolicyEgressRule{{
			To:    []networkingv1.NetworkPolicyPeer{{PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "api"}}}},
			Ports: []networkingv1.NetworkPolicyPort{{Port: &named}},
		}},
	})
	r := Build(Snapshot{NodeName: "n1", Pods: []*corev1.Pod{front, api}, Namespaces: spaces, Policies: []*networkingv1.NetworkPolicy{pol}})
	body := strings.Join(chainBody(t, r.Restore, podChain(front, "Egress")), "\n")
	if !strings.Contains(body, "-d 10.0.2.7/32 -p tcp -m tcp --dport 8080") {
		t.Fatalf("named port http must resolve to api's 8080:\n%s", body)
	}
	if !strings.Contains(r.Restore, "-A KUBEPROOF-NP -s 10.0.1.9/32") {
		t.Fatalf("egress chain must be hooked by source address:\n%s", r.Restore)
	}
}

func TestInvalidSelectorSelectsNothing(t *testing.T) {
	bad := policy("shop", "bad", networkingv1.NetworkPolicySpec{PodSelector: metav1.LabelSelector{
		MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: "Bogus"}}}})
	r := Build(Snapshot{NodeName: "n1", Pods: []*corev1.Pod{db}, Namespaces: spaces, Policies: []*networkingv1.NetworkPolicy{bad}})
	if len(r.Chains) != 0 {
		t.Fatalf("an invalid selector must not isolate pods, got %v", r.Chains)
	}
}

func rootRules(restore string) []string {
	var out []string
	for _, l := range strings.Split(restore, "\n") {
		if strings.HasPrefix(l, "-A "+RootChain+" ") {
			out = append(out, l)
		}
	}
	return out
}

func indexOf(rules []string, substr string) int {
	for i, r := range rules {
		if strings.Contains(r, substr) {
			return i
		}
	}
	return -1
}

// NetworkPolicy API docs: "a pod cannot block access to itself" — its own Service looping back to it.
func TestSelfTrafficBypassesThePodsChains(t *testing.T) {
	deny := policy("shop", "deny", networkingv1.NetworkPolicySpec{PolicyTypes: []networkingv1.PolicyType{"Ingress", "Egress"}})
	r := Build(Snapshot{NodeName: "n1", Pods: []*corev1.Pod{db, api}, Namespaces: spaces, Policies: []*networkingv1.NetworkPolicy{deny}})
	root := rootRules(r.Restore)
	self := indexOf(root, "-s 10.0.1.5/32 -d 10.0.1.5/32")
	if self < 0 || !strings.HasSuffix(root[self], "-j RETURN") {
		t.Fatalf("db's traffic to itself must return before any chain of db:\n%s", strings.Join(root, "\n"))
	}
	for _, c := range []string{podChain(db, "Ingress"), podChain(db, "Egress")} {
		if j := indexOf(root, "-j "+c); j < self {
			t.Fatalf("jump to %s (rule %d) comes before the self rule (%d):\n%s", c, j, self, strings.Join(root, "\n"))
		}
	}
	if strings.Count(r.Restore, "-d 10.0.1.5/32 -m comment --comment \"self") != 1 {
		t.Fatalf("one self rule per pod, not per direction:\n%s", r.Restore)
	}
	if strings.Contains(r.Restore, "10.0.2.7/32 -d 10.0.2.7/32") {
		t.Fatalf("api runs on n2: no rule for it on n1:\n%s", r.Restore)
	}
}

func TestUnselectedPodGetsNoSelfRule(t *testing.T) {
	r := Build(Snapshot{NodeName: "n1", Pods: []*corev1.Pod{db}, Namespaces: spaces})
	if indexOf(rootRules(r.Restore), "self") >= 0 {
		t.Fatalf("a pod without policies needs no self rule:\n%s", r.Restore)
	}
}

// Replies are allowed by state; the original direction of an established connection goes through the
// policies again, so a policy that no longer allows a connection cuts it.
func TestOnlyRepliesAndRelatedSkipThePolicies(t *testing.T) {
	deny := policy("shop", "deny", networkingv1.NetworkPolicySpec{PolicyTypes: []networkingv1.PolicyType{"Ingress"}})
	r := Build(Snapshot{NodeName: "n1", Pods: []*corev1.Pod{db}, Namespaces: spaces, Policies: []*networkingv1.NetworkPolicy{deny}})
	root := rootRules(r.Restore)
	if len(root) < 3 || root[0] != "-A KUBEPROOF-NP -m conntrack --ctstate ESTABLISHED --ctdir REPLY -j ACCEPT" ||
		root[1] != "-A KUBEPROOF-NP -m conntrack --ctstate RELATED -j ACCEPT" {
		t.Fatalf("the root chain must start by accepting replies and related packets only:\n%s", strings.Join(root, "\n"))
	}
	for _, rule := range root {
		if strings.Contains(rule, "ESTABLISHED") && !strings.Contains(rule, "--ctdir REPLY") {
			t.Fatalf("established packets in the original direction must not skip the policies: %s", rule)
		}
	}
}

func TestHookPosition(t *testing.T) {
	ours := `-A FORWARD -m comment --comment "kubeproof NetworkPolicy enforcement" -j KUBEPROOF-NP`
	kube := `-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD`
	for _, c := range []struct {
		name           string
		listing        string
		present, first bool
	}{
		{"first", "-P FORWARD ACCEPT\n" + ours + "\n" + kube + "\n", true, true},
		{"after kube-proxy", "-P FORWARD ACCEPT\n" + kube + "\n" + ours + "\n", true, false},
		{"missing", "-P FORWARD ACCEPT\n" + kube + "\n", false, false},
		{"empty chain", "-P FORWARD ACCEPT\n", false, false},
	} {
		present, first := hookPosition(c.listing, "FORWARD")
		if present != c.present || first != c.first {
			t.Errorf("%s: got present=%v first=%v, want %v %v", c.name, present, first, c.present, c.first)
		}
	}
}

// Upstream "should allow egress access on one named port": an egress rule with a named port and no peers
// allows every pod that defines the port, on that port only — not every destination on every port.
func TestEgressNamedPortWithoutPeersAllowsOnlyThatPortOfEveryPod(t *testing.T) {
	named := intstr.FromString("http")
	pol := policy("shop", "egress-http", networkingv1.NetworkPolicySpec{
		PolicyTypes: []networkingv1.PolicyType{"Egress"},
		Egress:      []networkingv1.NetworkPolicyEgressRule{{Ports: []networkingv1.NetworkPolicyPort{{Port: &named}}}},
	})
	noPorts := pod("other", "noports", "n2", "10.0.2.9", map[string]string{"app": "x"})
	noPorts.Spec.Containers[0].Ports = nil
	r := Build(Snapshot{NodeName: "n1", Pods: []*corev1.Pod{front, api, other, noPorts}, Namespaces: spaces, Policies: []*networkingv1.NetworkPolicy{pol}})
	body := chainBody(t, r.Restore, podChain(front, "Egress"))
	for _, rule := range body {
		if strings.HasSuffix(rule, "-j RETURN") && !strings.Contains(rule, "--dport 8080") {
			t.Fatalf("every allowed destination must be limited to the named port's number: %s\n%s", rule, strings.Join(body, "\n"))
		}
	}
	joined := strings.Join(body, "\n")
	for _, ip := range []string{"10.0.2.7", "10.0.2.8", "10.0.1.9"} {
		if !strings.Contains(joined, "-d "+ip+"/32 -p tcp -m tcp --dport 8080") {
			t.Fatalf("pod %s defines http=8080 and must be allowed on it:\n%s", ip, joined)
		}
	}
	if strings.Contains(joined, "10.0.2.9") {
		t.Fatalf("a pod without the named port must not be allowed:\n%s", joined)
	}
}

func TestEgressNamedPortToIPBlockResolvesThePodsInside(t *testing.T) {
	named := intstr.FromString("http")
	pol := policy("shop", "egress-block-http", networkingv1.NetworkPolicySpec{
		PodSelector: metav1.LabelSelector{MatchLabels: map[string]string{"app": "front"}},
		PolicyTypes: []networkingv1.PolicyType{"Egress"},
		Egress: []networkingv1.NetworkPolicyEgressRule{{
			To:    []networkingv1.NetworkPolicyPeer{{IPBlock: &networkingv1.IPBlock{CIDR: "10.0.2.0/24", Except: []string{"10.0.2.8/32"}}}},
			Ports: []networkingv1.NetworkPolicyPort{{Port: &named}},
		}},
	})
	r := Build(Snapshot{NodeName: "n1", Pods: []*corev1.Pod{front, api, other, db}, Namespaces: spaces, Policies: []*networkingv1.NetworkPolicy{pol}})
	body := strings.Join(chainBody(t, r.Restore, podChain(front, "Egress")), "\n")
	if !strings.Contains(body, "-d 10.0.2.7/32 -p tcp -m tcp --dport 8080") {
		t.Fatalf("api (inside the block) must be allowed on 8080:\n%s", body)
	}
	if strings.Contains(body, "10.0.2.8") || strings.Contains(body, "10.0.1.5") || strings.Contains(body, "-d 10.0.2.0/24") {
		t.Fatalf("the excepted pod, a pod outside the block and the bare block (any port) must not be allowed:\n%s", body)
	}
}

func TestInIPBlockIgnoresHostBitsOfTheCIDR(t *testing.T) {
	// Upstream builds "<pod IP>/4" blocks; the host bits must not matter.
	block := &networkingv1.IPBlock{CIDR: "10.244.1.5/4", Except: []string{"10.244.2.7/32"}}
	if !inIPBlock("10.244.3.3", block) || inIPBlock("10.244.2.7", block) || inIPBlock("172.18.0.2", block) {
		t.Fatalf("10.244.1.5/4 is 0.0.0.0/4 minus the except")
	}
}
