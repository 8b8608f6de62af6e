package rules

// The rules below are live: they judge the instances the cluster audit
// (package live/cluster) reads from what the API server says runs,
// compared with what the owners declare.

// ReplicaDigestSkew: replicas of one revision run different image digests.
var ReplicaDigestSkew = &Rule{
	ID:          "replica-digest-skew",
	Group:       Drift,
	Severity:    High,
	Title:       "Replicas of one revision run different image digests",
	Rationale:   "Pods created from the same template should be copies of one image. Different digests under one revision mean the tag moved between pulls: the replicas run different software although nothing was deployed.",
	Remediation: "Pin the template's images by digest and roll the workload out again so every replica runs the same build.",
	Principle:   principleDrift,
	Check:       replicaDigestSkew,
	Reads:       Pods,
}

// PodModifiedInPlace: a pod no longer matches its owner's template.
var PodModifiedInPlace = &Rule{
	ID:          "pod-modified-in-place",
	Group:       Drift,
	Severity:    High,
	Title:       "Pod was modified in place and no longer matches its template",
	Rationale:   "A pod whose image was patched (kubectl set image pod/...) or whose spec differs from the template revision it claims is an edited instance: the controller will not recreate it that way, and nobody reviewed the change.",
	Remediation: "Change the owner's template instead and let the controller replace the pod (immutcheck cluster --remediate evicts it).",
	Principle:   principleDrift,
	Check:       podModifiedInPlace,
	Reads:       Pods,
}

// EphemeralContainer: a debug container was added to a running pod.
var EphemeralContainer = &Rule{
	ID:          "ephemeral-container",
	Group:       Drift,
	Severity:    Medium,
	Title:       "Pod has ephemeral (debug) containers",
	Rationale:   "kubectl debug adds a container to a running pod with its own image and access to the pod's processes and files; the pod is no longer what was deployed and may have been changed through it.",
	Remediation: "Replace the pod once debugging is over (immutcheck cluster --remediate evicts it); restrict pods/ephemeralcontainers in RBAC.",
	Principle:   principleDrift,
	Check:       ephemeralContainer,
	Reads:       Pods,
}

// ExecSession: someone executed a command in, attached to, or added a debug
// container to a pod, according to the API server's audit log.
var ExecSession = &Rule{
	ID:          "exec-session",
	Group:       Drift,
	Severity:    Medium,
	Title:       "Interactive session opened in a running pod",
	Rationale:   "kubectl exec, attach and debug are how instances get edited by hand; after such a session nothing proves the pod still equals its image.",
	Remediation: "Replace the pods that were entered, and keep pods/exec, pods/attach and pods/ephemeralcontainers for break-glass roles.",
	Principle:   principleDrift,
	Check:       execSession,
	Reads:       Pods | Containers,
}

// NodeImageSkew: nodes of one pool report different OS, kernel, runtime or
// kubelet versions.
var NodeImageSkew = &Rule{
	ID:          "node-image-skew",
	Group:       Drift,
	Severity:    Medium,
	Title:       "Nodes of one pool run different OS, kernel, runtime or kubelet versions",
	Rationale:   "Nodes of a pool are meant to be copies of one machine image. Different versions mean some nodes were patched in place or the pool was never fully rolled to its current image.",
	Remediation: "Roll the node pool to one machine image version (replace the nodes, do not upgrade them in place).",
	Principle:   principleDrift,
	Check:       nodeImageSkew,
	Reads:       Pods,
}

// InstanceTooOld: a pod runs longer than the configured maximum age.
var InstanceTooOld = &Rule{
	ID:          "instance-too-old",
	Group:       Disposable,
	Severity:    Low,
	Title:       "Instance is older than the maximum age",
	Rationale:   "Instances that are never replaced become pets: they collect drift, hide whether the image still starts, and make a replacement a risky event instead of a routine one.",
	Remediation: "Replace instances regularly (a rollout restart, or a descheduler policy), so that replacement is proven every day.",
	Principle:   principleDisposable,
	Check:       instanceTooOld,
	Reads:       Pods,
}

// ClusterUnchecked: part of the cluster could not be read.
var ClusterUnchecked = &Rule{
	ID:            "cluster-unchecked",
	Group:         Input,
	Severity:      High,
	Title:         "Part of the cluster could not be checked",
	Rationale:     "A collection the audit was not allowed to list, or an object it could not compare, may hide any drift; it is never reported as clean.",
	Remediation:   "Grant the permissions listed in the README's \"check a live cluster\" section, then check again.",
	Principle:     principleInput,
	Reads:         Pods,
	Locked:        "what could not be checked is never reported as clean",
	CouldNotCheck: true,
}
