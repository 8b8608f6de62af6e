package kube

import (
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/immutcheck/immutcheck/model"
)

// FromObject is the workload of a typed object read from an API server (a
// *corev1.Pod, *corev1.ReplicationController, *appsv1.Deployment,
// *appsv1.ReplicaSet, *appsv1.StatefulSet, *appsv1.DaemonSet, *batchv1.Job
// or *batchv1.CronJob), mapped exactly as a manifest of that kind is. It
// has no source text, so every location in it is loc: the caller names
// the object there. Other types give nil.
//
// The workload refers to obj's pod spec and metadata; obj must not change
// while the workload is in use.
func FromObject(obj runtime.Object, loc model.Location) *model.Workload {
	root := pos{fallback: loc}
	var t *template
	var kind string
	switch o := obj.(type) {
	case *corev1.Pod:
		t, kind = podTemplate(o, root), "Pod"
	case *corev1.ReplicationController:
		t, kind = newTemplate(&o.ObjectMeta, root, o.Spec.Template, root), "ReplicationController"
	case *appsv1.Deployment:
		t, kind = deploymentTemplate(o, root), "Deployment"
	case *appsv1.ReplicaSet:
		t, kind = replicaSetTemplate(o, root), "ReplicaSet"
	case *appsv1.StatefulSet:
		t, kind = statefulSetTemplate(o, root), "StatefulSet"
	case *appsv1.DaemonSet:
		t, kind = daemonSetTemplate(o, root), "DaemonSet"
	case *batchv1.Job:
		t, kind = jobTemplate(o, root), "Job"
	case *batchv1.CronJob:
		t, kind = cronJobTemplate(o, root), "CronJob"
	default:
		return nil
	}
	return t.model(kind, root)
}
