package main

// Translation of NetworkPolicies into iptables rules for the pods of one node. Pure functions only:
// everything here is unit-tested without a cluster.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

const (
	// RootChain is jumped to from FORWARD (traffic between pods) and INPUT (pods talking to their node).
	RootChain = "KUBEPROOF-NP"
	// chainPrefix marks every per-pod chain we own, so stale ones can be found and removed.
	chainPrefix = "KPNP-"
	// allowMark is set by ipBlock sub-chains to say "this peer is allowed" (a bit kube-proxy does not use).
	allowMark = "0x100000/0x100000"
)

// Snapshot is what the enforcer knows about the cluster at one moment.
type Snapshot struct {
	NodeName   string
	Pods       []*corev1.Pod
	Namespaces []*corev1.Namespace
	Policies   []*networkingv1.NetworkPolicy
}

// Ruleset is the iptables-restore input for the filter table plus the names of the chains it defines.
type Ruleset struct {
	Restore string
	Chains  []string
}

type podInfo struct {
	pod *corev1.Pod
	ip  string
}

// Build computes the complete ruleset for the node. Unselected pods get no rules at all (allow all);
// a pod selected by any policy of a direction only accepts what one of those policies allows.
func Build(s Snapshot) Ruleset {
	nsLabels := map[string]labels.Set{}
	for _, ns := range s.Namespaces {
		nsLabels[ns.Name] = labels.Set(ns.Labels)
	}
	var all []podInfo
	for _, p := range s.Pods {
		if ip := podIP(p); ip != "" {
			all = append(all, podInfo{p, ip})
		}
	}
	sort.Slice(all, func(i, j int) bool {
		return all[i].pod.Namespace+"/"+all[i].pod.Name < all[j].pod.Namespace+"/"+all[j].pod.Name
	})
	policies := append([]*networkingv1.NetworkPolicy(nil), s.Policies...)
	sort.Slice(policies, func(i, j int) bool {
		return policies[i].Namespace+"/"+policies[i].Name < policies[j].Namespace+"/"+policies[j].Name
	})

	var b strings.Builder
	var chains []string
	var root []string
	var bodies []string
	// Replies of a connection the policies let through are always allowed (NetworkPolicy is stateful).
	// Packets in a connection's original direction are judged again every time, not only the first one,
	// so a policy that stops allowing a connection cuts it at once instead of when the client reconnects.
	root = append(root, fmt.Sprintf("-A %s -m conntrack --ctstate ESTABLISHED --ctdir REPLY -j ACCEPT", RootChain))
	root = append(root, fmt.Sprintf("-A %s -m conntrack --ctstate RELATED -j ACCEPT", RootChain))
	root = append(root, fmt.Sprintf("-A %s -j MARK --set-xmark 0x0/0x100000", RootChain))

	for _, local := range all {
		if local.pod.Spec.NodeName != s.NodeName {
			continue
		}
		selfAllowed := false
		for _, dir := range []networkingv1.PolicyType{networkingv1.PolicyTypeEgress, networkingv1.PolicyTypeIngress} {
			selecting := selectingPolicies(policies, local.pod, dir)
			if len(selecting) == 0 {
				continue
			}
			if !selfAllowed {
				// A pod cannot block access to itself (its own Service looping back to it).
				root = append(root, fmt.Sprintf("-A %s -s %s/32 -d %s/32 -m comment --comment %q -j RETURN", RootChain,
					local.ip, local.ip, fmt.Sprintf("self %s/%s", local.pod.Namespace, local.pod.Name)))
				selfAllowed = true
			}
			chain := podChain(local.pod, dir)
			chains = append(chains, chain)
			match := "-d"
			if dir == networkingv1.PolicyTypeEgress {
				match = "-s"
			}
			root = append(root, fmt.Sprintf("-A %s %s %s/32 -m comment --comment %q -j %s", RootChain, match, local.ip,
				fmt.Sprintf("%s %s/%s", strings.ToLower(string(dir)), local.pod.Namespace, local.pod.Name), chain))
			body, subChains := podRules(chain, local, dir, selecting, all, nsLabels)
			chains = append(chains, subChains...)
			bodies = append(bodies, body...)
		}
	}

	b.WriteString("*filter\n")
	fmt.Fprintf(&b, ":%s - [0:0]\n", RootChain)
	for _, c := range chains {
		fmt.Fprintf(&b, ":%s - [0:0]\n", c)
	}
	for _, r := range root {
		b.WriteString(r + "\n")
	}
	for _, r := range bodies {
		b.WriteString(r + "\n")
	}
	b.WriteString("COMMIT\n")
	return Ruleset{Restore: b.String(), Chains: chains}
}

// podRules writes the chain of one pod and direction: each allowed peer/port returns to the root chain,
// anything else is dropped (dropped, not rejected: a blocked connection times out like a real firewall).
func podRules(chain string, local podInfo, dir networkingv1.PolicyType, policies []*networkingv1.NetworkPolicy,
	all []podInfo, nsLabels map[string]labels.Set) ([]string, []string) {
	var rules, subChains []string
	peerFlag := "-s"
	if dir == networkingv1.PolicyTypeEgress {
		peerFlag = "-d"
	}
	for _, pol := range policies {
		comment := fmt.Sprintf("-m comment --comment %q", pol.Namespace+"/"+pol.Name)
		for ri, rule := range policyRules(pol, dir) {
			for _, port := range portMatches(rule.ports, dir, local) {
				if port.named != "" {
					// Egress to a named port: only pods have named ports, so whatever the peers are (none =
					// everyone, ipBlocks, selectors), the rule allows the pods among them that define the
					// port, each on its own number. Matching the peers alone would open every port.
					for _, other := range namedPortPeers(rule.peers, pol.Namespace, all, nsLabels) {
						if spec := namedPortSpec(port.named, port.protocol, other.pod); spec != "" {
							rules = append(rules, fmt.Sprintf("-A %s %s %s/32 %s%s -j RETURN", chain, peerFlag, other.ip, spec, comment))
						}
					}
					continue
				}
				if len(rule.peers) == 0 { // no peers listed: every peer
					rules = append(rules, fmt.Sprintf("-A %s %s%s -j RETURN", chain, port.spec, comment))
					continue
				}
				for pi, peer := range rule.peers {
					if peer.IPBlock != nil {
						sub := fmt.Sprintf("%sB-%s", chainPrefix, shortHash(chain, pol.Namespace, pol.Name, fmt.Sprint(ri, pi, port.spec)))
						subChains = append(subChains, sub)
						for _, except := range peer.IPBlock.Except {
							rules = append(rules, fmt.Sprintf("-A %s %s %s -j RETURN", sub, peerFlag, except))
						}
						rules = append(rules, fmt.Sprintf("-A %s -j MARK --set-xmark %s", sub, allowMark))
						rules = append(rules, fmt.Sprintf("-A %s %s %s %s%s -j %s", chain, peerFlag, peer.IPBlock.CIDR, port.spec, comment, sub))
						rules = append(rules, fmt.Sprintf("-A %s -m mark --mark %s -j RETURN", chain, allowMark))
						continue
					}
					for _, other := range peerPods(peer, pol.Namespace, all, nsLabels) {
						rules = append(rules, fmt.Sprintf("-A %s %s %s/32 %s%s -j RETURN", chain, peerFlag, other.ip, port.spec, comment))
					}
				}
			}
		}
	}
	rules = append(rules, fmt.Sprintf("-A %s -m comment --comment \"not allowed by any NetworkPolicy\" -j DROP", chain))
	return rules, subChains
}

type directionRule struct {
	peers []networkingv1.NetworkPolicyPeer
	ports []networkingv1.NetworkPolicyPort
}

func policyRules(p *networkingv1.NetworkPolicy, dir networkingv1.PolicyType) []directionRule {
	var out []directionRule
	if dir == networkingv1.PolicyTypeIngress {
		for _, r := range p.Spec.Ingress {
			out = append(out, directionRule{r.From, r.Ports})
		}
	} else {
		for _, r := range p.Spec.Egress {
			out = append(out, directionRule{r.To, r.Ports})
		}
	}
	return out
}

// policyTypes applies the API defaults: Ingress always, Egress when egress rules exist.
func policyTypes(p *networkingv1.NetworkPolicy) []networkingv1.PolicyType {
	if len(p.Spec.PolicyTypes) > 0 {
		return p.Spec.PolicyTypes
	}
	types := []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
	if len(p.Spec.Egress) > 0 {
		types = append(types, networkingv1.PolicyTypeEgress)
	}
	return types
}

func selectingPolicies(policies []*networkingv1.NetworkPolicy, pod *corev1.Pod, dir networkingv1.PolicyType) []*networkingv1.NetworkPolicy {
	var out []*networkingv1.NetworkPolicy
	for _, p := range policies {
		if p.Namespace != pod.Namespace || !hasType(policyTypes(p), dir) {
			continue
		}
		if selectorMatches(&p.Spec.PodSelector, pod.Labels) {
			out = append(out, p)
		}
	}
	return out
}

func hasType(types []networkingv1.PolicyType, t networkingv1.PolicyType) bool {
	for _, x := range types {
		if x == t {
			return true
		}
	}
	return false
}

// peerPods resolves a podSelector/namespaceSelector peer to pod IPs (any node).
func peerPods(peer networkingv1.NetworkPolicyPeer, policyNamespace string, all []podInfo, nsLabels map[string]labels.Set) []podInfo {
	var out []podInfo
	for _, p := range all {
		if peer.NamespaceSelector != nil {
			if !selectorMatches(peer.NamespaceSelector, nsLabels[p.pod.Namespace]) {
				continue
			}
		} else if p.pod.Namespace != policyNamespace {
			continue
		}
		if peer.PodSelector != nil && !selectorMatches(peer.PodSelector, p.pod.Labels) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// namedPortPeers lists the pods a rule's peers cover: every pod when there are no peers, the pods whose IP
// lies in an ipBlock (outside its excepts), the pods a selector peer picks. Each pod once, in order.
func namedPortPeers(peers []networkingv1.NetworkPolicyPeer, policyNamespace string, all []podInfo, nsLabels map[string]labels.Set) []podInfo {
	if len(peers) == 0 {
		return all
	}
	picked := map[string]bool{}
	for _, peer := range peers {
		var covered []podInfo
		if peer.IPBlock != nil {
			for _, p := range all {
				if inIPBlock(p.ip, peer.IPBlock) {
					covered = append(covered, p)
				}
			}
		} else {
			covered = peerPods(peer, policyNamespace, all, nsLabels)
		}
		for _, p := range covered {
			picked[p.ip] = true
		}
	}
	var out []podInfo
	for _, p := range all {
		if picked[p.ip] {
			out = append(out, p)
		}
	}
	return out
}

func inIPBlock(ip string, block *networkingv1.IPBlock) bool {
	addr := net.ParseIP(ip)
	if _, cidr, err := net.ParseCIDR(block.CIDR); err != nil || addr == nil || !cidr.Contains(addr) {
		return false
	}
	for _, except := range block.Except {
		if _, ex, err := net.ParseCIDR(except); err == nil && ex.Contains(addr) {
			return false
		}
	}
	return true
}

func selectorMatches(sel *metav1.LabelSelector, set map[string]string) bool {
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return false // an invalid selector selects nothing
	}
	return s.Matches(labels.Set(set))
}

type portMatch struct {
	spec     string // iptables match text ending with a space, or "" for all ports
	named    string // a named port that must be resolved per destination pod (egress)
	protocol string
}

// portMatches turns a rule's ports into iptables matches. Ingress named ports resolve against the local
// pod; egress named ports resolve per destination pod later.
func portMatches(ports []networkingv1.NetworkPolicyPort, dir networkingv1.PolicyType, local podInfo) []portMatch {
	if len(ports) == 0 {
		return []portMatch{{spec: ""}}
	}
	var out []portMatch
	for _, p := range ports {
		proto := "tcp"
		if p.Protocol != nil {
			proto = strings.ToLower(string(*p.Protocol))
		}
		switch {
		case p.Port == nil:
			out = append(out, portMatch{spec: fmt.Sprintf("-p %s ", proto)})
		case p.Port.Type == intstr.String:
			if dir == networkingv1.PolicyTypeIngress {
				if spec := namedPortSpec(p.Port.StrVal, proto, local.pod); spec != "" {
					out = append(out, portMatch{spec: spec})
				}
			} else {
				out = append(out, portMatch{named: p.Port.StrVal, protocol: proto})
			}
		case p.EndPort != nil:
			out = append(out, portMatch{spec: fmt.Sprintf("-p %s -m %s --dport %d:%d ", proto, proto, p.Port.IntVal, *p.EndPort)})
		default:
			out = append(out, portMatch{spec: fmt.Sprintf("-p %s -m %s --dport %d ", proto, proto, p.Port.IntVal)})
		}
	}
	return out
}

func namedPortSpec(name, proto string, pod *corev1.Pod) string {
	for _, c := range pod.Spec.Containers {
		for _, cp := range c.Ports {
			cpProto := "tcp"
			if cp.Protocol != "" {
				cpProto = strings.ToLower(string(cp.Protocol))
			}
			if cp.Name == name && cpProto == proto {
				return fmt.Sprintf("-p %s -m %s --dport %d ", proto, proto, cp.ContainerPort)
			}
		}
	}
	return ""
}

func podIP(p *corev1.Pod) string {
	if p.Spec.HostNetwork || p.Status.PodIP == "" || p.DeletionTimestamp != nil {
		return ""
	}
	if p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
		return ""
	}
	return p.Status.PodIP
}

func podChain(p *corev1.Pod, dir networkingv1.PolicyType) string {
	d := "I"
	if dir == networkingv1.PolicyTypeEgress {
		d = "E"
	}
	return fmt.Sprintf("%s%s-%s", chainPrefix, d, shortHash(string(p.UID), p.Namespace, p.Name))
}

func shortHash(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return strings.ToUpper(hex.EncodeToString(h[:])[:16])
}

// hookComment marks the jumps from FORWARD and INPUT to RootChain.
const hookComment = "kubeproof NetworkPolicy enforcement"

// hookPosition reads `iptables -S CHAIN` output: is our jump there, and is it the chain's first rule?
func hookPosition(listing, chain string) (present, first bool) {
	n := 0
	for _, line := range strings.Split(listing, "\n") {
		if !strings.HasPrefix(line, "-A "+chain+" ") {
			continue
		}
		n++
		if strings.HasSuffix(line, "-j "+RootChain) && strings.Contains(line, hookComment) {
			return true, n == 1
		}
	}
	return false, false
}
