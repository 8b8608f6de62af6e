package cluster

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/immutcheck/immutcheck/model"
)

// Labels and annotations the live rules read.
const (
	// labelPodTemplateHash names the ReplicaSet revision of a Deployment's
	// pod (and of the ReplicaSet itself).
	labelPodTemplateHash = "pod-template-hash"
	// labelRevisionHash names the ControllerRevision of a StatefulSet or
	// DaemonSet pod: the revision's name for a StatefulSet, its hash for a
	// DaemonSet.
	labelRevisionHash = "controller-revision-hash"
	// annotationDeploymentRevision numbers a Deployment's ReplicaSets.
	annotationDeploymentRevision = "deployment.kubernetes.io/revision"
)

// ref is a Kubernetes object the live rules report on.
type ref struct {
	apiVersion, kind string
	meta             *metav1.ObjectMeta
}

func podRef(p *corev1.Pod) ref   { return ref{"v1", "Pod", &p.ObjectMeta} }
func nodeRef(n *corev1.Node) ref { return ref{"v1", "Node", &n.ObjectMeta} }

// object is the model reference of r.
func (r ref) object() *model.ObjectRef {
	return &model.ObjectRef{APIVersion: r.apiVersion, Kind: r.kind, Namespace: r.meta.Namespace, Name: r.meta.Name, UID: string(r.meta.UID)}
}

// subject is "Kind/NS/NAME" ("Kind/NAME" for cluster-scoped objects).
func (r ref) subject() string { return r.object().Subject() }

// location is where findings about r are: see ObjectLocation.
func (r ref) location() model.Location {
	return ObjectLocation(r.meta.Namespace, r.kind, r.meta.Name)
}

// isMirror reports whether p is the mirror of a static pod.
func isMirror(p *corev1.Pod) bool {
	_, ok := p.Annotations[MirrorAnnotation]
	return ok
}

// active reports whether p is a live instance the drift rules compare: not
// being deleted, not finished, and not a static pod's mirror (a static pod
// is declared by a file on its node, not by a template the API server
// holds).
func active(p *corev1.Pod) bool {
	return p.DeletionTimestamp == nil && !isMirror(p) &&
		p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed
}
