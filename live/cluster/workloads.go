package cluster

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/immutcheck/immutcheck/load/kube"
	"github.com/immutcheck/immutcheck/model"
)

// MirrorAnnotation marks a mirror pod: the API server's copy of a static
// pod, which the kubelet runs from a manifest file on its node.
const MirrorAnnotation = "kubernetes.io/config.mirror"

// Workloads turns the snapshot's live objects into the workloads the static
// rules check, each pod template once, by the object that declares it:
//
//   - every Deployment, StatefulSet, DaemonSet and CronJob;
//   - a ReplicaSet or Job with no controller (created by hand);
//   - a ReplicaSet or Job whose controller was not listed (filtered out by
//     the label selector, or a kind the audit does not list, such as an
//     Argo Rollout) when pods of it run: it is the closest declaration of
//     those pods. Old, scaled-down revisions are left to the live rules;
//   - a pod with no controller (a naked pod: unmanaged-instance);
//   - a mirror pod (annotation kubernetes.io/config.mirror), as a
//     controlled workload: the kubelet recreates it from the static pod
//     manifest on its node, so it is not an unmanaged instance, but its
//     spec is checked like any template;
//   - for pods whose controller was not listed and is not a ReplicaSet or
//     Job that was (a custom controller's pods, or owners filtered out),
//     one pod per controller stands for all of them.
//
// Pods owned by a listed workload are represented by it. Each workload's
// Location is "cluster/NAMESPACE/KIND/NAME" and its Object names the live
// object.
func Workloads(s *Snapshot) []*model.Workload {
	b := &builder{covered: map[types.UID]bool{}, pending: map[types.UID]pendingOwner{}}
	for i := range s.Deployments {
		b.add(&s.Deployments[i], "apps/v1", &s.Deployments[i].ObjectMeta)
	}
	for i := range s.StatefulSets {
		b.add(&s.StatefulSets[i], "apps/v1", &s.StatefulSets[i].ObjectMeta)
	}
	for i := range s.DaemonSets {
		b.add(&s.DaemonSets[i], "apps/v1", &s.DaemonSets[i].ObjectMeta)
	}
	for i := range s.CronJobs {
		b.add(&s.CronJobs[i], "batch/v1", &s.CronJobs[i].ObjectMeta)
	}
	// Controlled ReplicaSets and Jobs wait for their pods: covered when
	// their controller was listed, a workload when pods of theirs run.
	for i := range s.ReplicaSets {
		b.owned(&s.ReplicaSets[i], "apps/v1", &s.ReplicaSets[i].ObjectMeta)
	}
	for i := range s.Jobs {
		b.owned(&s.Jobs[i], "batch/v1", &s.Jobs[i].ObjectMeta)
	}
	for i := range s.Pods {
		b.pod(&s.Pods[i])
	}
	return b.out
}

// builder collects the workloads of one snapshot.
type builder struct {
	out []*model.Workload
	// covered holds the UIDs of objects whose pods a workload represents.
	covered map[types.UID]bool
	// pending holds controlled ReplicaSets and Jobs whose controller was
	// not listed, by UID.
	pending map[types.UID]pendingOwner
}

type pendingOwner struct {
	obj        runtime.Object
	apiVersion string
	meta       *metav1.ObjectMeta
}

// add makes obj a workload.
func (b *builder) add(obj runtime.Object, apiVersion string, meta *metav1.ObjectMeta) *model.Workload {
	w := kube.FromObject(obj, model.Location{})
	if w == nil {
		return nil
	}
	w.Location = ObjectLocation(meta.Namespace, w.Kind, meta.Name)
	w.Object = &model.ObjectRef{APIVersion: apiVersion, Kind: w.Kind, Namespace: meta.Namespace, Name: meta.Name, UID: string(meta.UID)}
	b.out = append(b.out, w)
	b.covered[meta.UID] = true
	return w
}

// owned handles a ReplicaSet or Job.
func (b *builder) owned(obj runtime.Object, apiVersion string, meta *metav1.ObjectMeta) {
	ctrl := metav1.GetControllerOfNoCopy(meta)
	switch {
	case ctrl == nil:
		b.add(obj, apiVersion, meta)
	case b.covered[ctrl.UID]:
		b.covered[meta.UID] = true
	default:
		b.pending[meta.UID] = pendingOwner{obj, apiVersion, meta}
	}
}

// pod handles a pod.
func (b *builder) pod(p *corev1.Pod) {
	if _, ok := p.Annotations[MirrorAnnotation]; ok {
		if w := b.add(p, "v1", &p.ObjectMeta); w != nil {
			w.Controlled = true
		}
		return
	}
	ctrl := metav1.GetControllerOfNoCopy(&p.ObjectMeta)
	switch {
	case ctrl == nil:
		b.add(p, "v1", &p.ObjectMeta)
	case b.covered[ctrl.UID]:
	default:
		if o, ok := b.pending[ctrl.UID]; ok {
			delete(b.pending, ctrl.UID)
			b.add(o.obj, o.apiVersion, o.meta)
			return
		}
		// The pod stands for its unlisted controller.
		b.add(p, "v1", &p.ObjectMeta)
		b.covered[ctrl.UID] = true
	}
}

// ObjectLocation is where findings about a live object are located:
// "cluster/NAMESPACE/KIND/NAME", or "cluster/KIND/NAME" for cluster-scoped
// objects, with the kind in lower case (see model.ObjectRef.Location).
func ObjectLocation(namespace, kind, name string) model.Location {
	return model.ObjectRef{Kind: kind, Namespace: namespace, Name: name}.Location()
}
