package cluster

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/immutcheck/immutcheck/rules"
)

// DefaultPoolLabels are the node labels that name a node's pool, tried in
// order; the first one a node has groups it. Managed pools come first
// (GKE, EKS managed node groups, AKS, Karpenter), then the instance type,
// which groups nodes of self-managed pools that share one machine type.
var DefaultPoolLabels = []string{
	"cloud.google.com/gke-nodepool",
	"eks.amazonaws.com/nodegroup",
	"kubernetes.azure.com/agentpool",
	"karpenter.sh/nodepool",
	"node.kubernetes.io/instance-type",
	"beta.kubernetes.io/instance-type",
}

// nodeFields are the nodeInfo fields that must agree within a pool.
var nodeFields = []struct {
	name string
	get  func(*corev1.NodeSystemInfo) string
}{
	{"osImage", func(i *corev1.NodeSystemInfo) string { return i.OSImage }},
	{"kernelVersion", func(i *corev1.NodeSystemInfo) string { return i.KernelVersion }},
	{"containerRuntimeVersion", func(i *corev1.NodeSystemInfo) string { return i.ContainerRuntimeVersion }},
	{"kubeletVersion", func(i *corev1.NodeSystemInfo) string { return i.KubeletVersion }},
}

// nodeImageSkew groups nodes by the first of poolLabels they carry and
// reports, per pool and field, when the nodes disagree. Nodes with no pool
// label, nodes being deleted and empty values (a node that has not
// reported yet) are left out. The finding is located at the first node
// with the least common value — the odd one out.
func nodeImageSkew(nodes []corev1.Node, poolLabels []string) []rules.Finding {
	type pool struct{ label, value string }
	var order []pool
	members := map[pool][]*corev1.Node{}
	for i := range nodes {
		n := &nodes[i]
		if n.DeletionTimestamp != nil {
			continue
		}
		for _, l := range poolLabels {
			if v, ok := n.Labels[l]; ok {
				k := pool{l, v}
				if members[k] == nil {
					order = append(order, k)
				}
				members[k] = append(members[k], n)
				break
			}
		}
	}
	var out []rules.Finding
	for _, k := range order {
		for _, f := range nodeFields {
			byValue := map[string][]*corev1.Node{}
			for _, n := range members[k] {
				if v := f.get(&n.Status.NodeInfo); v != "" {
					byValue[v] = append(byValue[v], n)
				}
			}
			if len(byValue) > 1 {
				out = append(out, poolFinding(k.label+"="+k.value, f.name, byValue))
			}
		}
	}
	return out
}

// poolFinding describes the values of one field in one pool.
func poolFinding(pool, field string, byValue map[string][]*corev1.Node) rules.Finding {
	values := make([]string, 0, len(byValue))
	for v := range byValue {
		values = append(values, v)
	}
	// Most common first; the last is the odd one out.
	slices.SortFunc(values, func(a, b string) int {
		if n := len(byValue[b]) - len(byValue[a]); n != 0 {
			return n
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(values))
	for i, v := range values {
		names := make([]string, len(byValue[v]))
		for j, n := range byValue[v] {
			names[j] = n.Name
		}
		slices.Sort(names)
		parts[i] = fmt.Sprintf("%q on %s (%s)", v, plural(len(names), "node"), nameList(names))
	}
	odd := byValue[values[len(values)-1]]
	slices.SortFunc(odd, func(a, b *corev1.Node) int { return strings.Compare(a.Name, b.Name) })
	f := finding(rules.NodeImageSkew, nodeRef(odd[0]), "", "nodes of pool %s report %d different %s values: %s",
		pool, len(values), field, strings.Join(parts, "; "))
	f.Subject = "node pool " + pool + " " + field
	return f
}
