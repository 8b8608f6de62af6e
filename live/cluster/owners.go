package cluster

import (
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/immutcheck/immutcheck/model"
)

// index finds the owners of pods and the revisions of workloads in a
// snapshot by UID.
type index struct {
	replicaSets  map[types.UID]*appsv1.ReplicaSet
	statefulSets map[types.UID]*appsv1.StatefulSet
	daemonSets   map[types.UID]*appsv1.DaemonSet
	jobs         map[types.UID]*batchv1.Job
	// revisions are the ControllerRevisions by the UID of the controller
	// that owns them.
	revisions map[types.UID][]*appsv1.ControllerRevision
	decoded   map[*appsv1.ControllerRevision]decoded
	// replicaSetsOf are the ReplicaSets by the UID of their Deployment.
	replicaSetsOf map[types.UID][]*appsv1.ReplicaSet
	// declared caches the declaration of each revision pods claim.
	declared map[declaredKey]*declared
	// artifacts caches each template image, parsed.
	artifacts map[string]model.Artifact
}

func newIndex(s *Snapshot) *index {
	x := &index{
		replicaSets:  make(map[types.UID]*appsv1.ReplicaSet, len(s.ReplicaSets)),
		statefulSets: make(map[types.UID]*appsv1.StatefulSet, len(s.StatefulSets)),
		daemonSets:   make(map[types.UID]*appsv1.DaemonSet, len(s.DaemonSets)),
		jobs:         make(map[types.UID]*batchv1.Job, len(s.Jobs)),
		revisions:    map[types.UID][]*appsv1.ControllerRevision{},
		decoded:      map[*appsv1.ControllerRevision]decoded{},

		replicaSetsOf: map[types.UID][]*appsv1.ReplicaSet{},
		artifacts:     map[string]model.Artifact{},
		declared:      map[declaredKey]*declared{},
	}
	for i := range s.ReplicaSets {
		rs := &s.ReplicaSets[i]
		x.replicaSets[rs.UID] = rs
		if c := metav1.GetControllerOf(rs); c != nil {
			x.replicaSetsOf[c.UID] = append(x.replicaSetsOf[c.UID], rs)
		}
	}
	for i := range s.StatefulSets {
		x.statefulSets[s.StatefulSets[i].UID] = &s.StatefulSets[i]
	}
	for i := range s.DaemonSets {
		x.daemonSets[s.DaemonSets[i].UID] = &s.DaemonSets[i]
	}
	for i := range s.Jobs {
		x.jobs[s.Jobs[i].UID] = &s.Jobs[i]
	}
	for i := range s.ControllerRevisions {
		cr := &s.ControllerRevisions[i]
		if c := metav1.GetControllerOf(cr); c != nil {
			x.revisions[c.UID] = append(x.revisions[c.UID], cr)
		}
	}
	return x
}

// controller returns the controller ownerReference of p, nil for a naked
// pod. A mirror pod's controller is its Node. It points into p: callers
// read it only.
func controller(p *corev1.Pod) *metav1.OwnerReference {
	return metav1.GetControllerOfNoCopy(&p.ObjectMeta)
}
