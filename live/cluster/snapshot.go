package cluster

import (
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

// Snapshot is what one audit read from the API server: every collection
// the live rules compare, listed in full (all pages) in the namespaces the
// audit covers. Nodes are cluster-scoped and always listed in full.
type Snapshot struct {
	Pods                []corev1.Pod
	ReplicaSets         []appsv1.ReplicaSet
	Deployments         []appsv1.Deployment
	StatefulSets        []appsv1.StatefulSet
	DaemonSets          []appsv1.DaemonSet
	Jobs                []batchv1.Job
	CronJobs            []batchv1.CronJob
	ControllerRevisions []appsv1.ControllerRevision
	Nodes               []corev1.Node

	// Unread lists the collections that could not be listed (forbidden,
	// not served), each with the reason; the audit reports them as
	// cluster-unchecked and never as clean.
	Unread []Unread
	// Started is when listing began; ages are measured from it.
	Started time.Time
}

// Unread is a collection the audit could not list.
type Unread struct {
	// Resource is the plural resource name, e.g. "controllerrevisions".
	Resource string
	// Namespace is empty for all namespaces or cluster-scoped resources.
	Namespace string
	Err       error
}
