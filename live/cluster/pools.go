package cluster

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
