package cluster

import (
	"errors"
	"fmt"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/immutcheck/immutcheck/model"
)

// declared is the template a pod was created from: its controller's pod
// template, of the revision the pod belongs to.
type declared struct {
	// owner is the pod's controller: a ReplicaSet, StatefulSet, DaemonSet
	// or Job.
	owner ref
	// revision names the template's revision for messages, e.g.
	// "ReplicaSet web-5d4f8" or "ControllerRevision web-6c9f7b8d4".
	revision string
	// revisionKey identifies the revision within its owner: the
	// ReplicaSet's UID, the ControllerRevision's name, the Job's UID.
	revisionKey string
	template    *corev1.PodTemplateSpec
	// ownerRef is the model reference of owner.
	ownerRef *model.ObjectRef
}

// what names the template for messages: "ReplicaSet web-5d4f8",
// "Job batch", "ControllerRevision db-6c9f7b8d4 of StatefulSet db".
func (d *declared) what() string {
	if d.owner.kind == "StatefulSet" || d.owner.kind == "DaemonSet" {
		return d.revision + " of " + d.owner.kind + " " + d.owner.meta.Name
	}
	return d.revision
}

// errNoRevision: the revision a pod claims is not in the snapshot.
var errNoRevision = errors.New("not found")

// decoded is a ControllerRevision's template, decoded once per audit.
type decoded struct {
	template *corev1.PodTemplateSpec
	err      error
}

// declaredOf returns the template pod p was created from. It returns nil
// and no error when there is nothing to compare with: a naked pod, a
// static pod's mirror, a pod whose controller is of another kind (a
// ReplicationController, a custom controller), a pod whose controller is
// gone (deleted, possibly between the listing of pods and of their owners:
// the garbage collector deletes the pod next; a label selector the owner
// does not match has the same effect, which is rare as ReplicaSets and
// Jobs carry their pods' template labels). It returns an error when p
// should have a template but it could not be found or read — a revision
// missing while its StatefulSet or DaemonSet is there (a controller keeps
// the revisions its pods use), no revision label, data that does not
// decode; the caller reports that as cluster-unchecked.
func (x *index) declaredOf(p *corev1.Pod) (*declared, error) {
	c := controller(p)
	if c == nil || isMirror(p) {
		return nil, nil
	}
	// Kinds of the built-in groups only: OpenKruise, for one, has a
	// StatefulSet of its own.
	group, _, _ := strings.Cut(c.APIVersion, "/")
	if group != "apps" && group != "batch" {
		return nil, nil
	}
	switch c.Kind {
	case "ReplicaSet":
		rs := x.replicaSets[c.UID]
		if rs == nil {
			return nil, nil // deleted: the pod awaits garbage collection
		}
		return x.remember(declaredKey{rs.UID, ""}, func() *declared {
			return &declared{owner: ref{"apps/v1", "ReplicaSet", &rs.ObjectMeta}, revision: "ReplicaSet " + rs.Name,
				revisionKey: string(rs.UID), template: &rs.Spec.Template}
		}), nil
	case "Job":
		j := x.jobs[c.UID]
		if j == nil {
			return nil, nil // deleted: the pod awaits garbage collection
		}
		return x.remember(declaredKey{j.UID, ""}, func() *declared {
			return &declared{owner: ref{"batch/v1", "Job", &j.ObjectMeta}, revision: "Job " + j.Name,
				revisionKey: string(j.UID), template: &j.Spec.Template}
		}), nil
	case "StatefulSet", "DaemonSet":
		// The template is in the revisions, listed whatever the label
		// selector; the owner itself may have been filtered out.
		meta, listed := &metav1.ObjectMeta{Namespace: p.Namespace, Name: c.Name, UID: c.UID}, false
		if ss := x.statefulSets[c.UID]; ss != nil && c.Kind == "StatefulSet" {
			meta, listed = &ss.ObjectMeta, true
		}
		if ds := x.daemonSets[c.UID]; ds != nil && c.Kind == "DaemonSet" {
			meta, listed = &ds.ObjectMeta, true
		}
		d, err := x.revisionDeclared(p, ref{"apps/v1", c.Kind, meta})
		if errors.Is(err, errNoRevision) && (!listed || meta.DeletionTimestamp != nil) {
			return nil, nil // the owner and its revisions are being deleted
		}
		return d, err
	}
	return nil, nil
}

// revisionDeclared finds the ControllerRevision a StatefulSet or DaemonSet
// pod claims with its controller-revision-hash label.
func (x *index) revisionDeclared(p *corev1.Pod, owner ref) (*declared, error) {
	h := p.Labels[labelRevisionHash]
	if h == "" {
		return nil, fmt.Errorf("it has no %s label naming its %s revision", labelRevisionHash, owner.kind)
	}
	cr := x.revisionNamed(owner.meta.UID, owner.meta.Name, h)
	if cr == nil {
		return nil, fmt.Errorf("the %s revision %s it claims: %w", owner.kind, h, errNoRevision)
	}
	t, err := x.template(cr)
	if err != nil {
		return nil, err
	}
	return x.remember(declaredKey{owner.meta.UID, cr.Name}, func() *declared {
		return &declared{owner: owner, revision: "ControllerRevision " + cr.Name, revisionKey: cr.Name, template: t}
	}), nil
}

// declaredKey identifies a revision: its owner's UID, and the
// ControllerRevision's name for a StatefulSet or DaemonSet.
type declaredKey struct {
	owner    types.UID
	revision string
}

// remember returns the declaration of revision k, made once per audit
// with its owner's model reference, which the pods of the revision share.
func (x *index) remember(k declaredKey, build func() *declared) *declared {
	d := x.declared[k]
	if d == nil {
		d = build()
		d.ownerRef = d.owner.object()
		x.declared[k] = d
	}
	return d
}

// revisionNamed returns the revision of the controller with the given UID
// that a pod's controller-revision-hash label names. A StatefulSet labels
// its pods with the revision's name; a DaemonSet with the revision's hash,
// which is also the revision's controller-revision-hash label and the
// suffix of its name.
func (x *index) revisionNamed(uid types.UID, owner, label string) *appsv1.ControllerRevision {
	for _, cr := range x.revisions[uid] {
		if cr.Name == label || cr.Name == owner+"-"+label || cr.Labels[labelRevisionHash] == label {
			return cr
		}
	}
	return nil
}

// template decodes a revision's template once.
func (x *index) template(cr *appsv1.ControllerRevision) (*corev1.PodTemplateSpec, error) {
	if d, ok := x.decoded[cr]; ok {
		return d.template, d.err
	}
	t, err := revisionTemplate(cr)
	x.decoded[cr] = decoded{t, err}
	return t, err
}

// revisionRunning returns the name of another revision of p's owner whose
// template declares the images p runs ("ReplicaSet web-7c5d9" or
// "ControllerRevision web-6c9f7b8d4"), or "" when there is none.
func (x *index) revisionRunning(p *corev1.Pod, d *declared) string {
	switch d.owner.kind {
	case "ReplicaSet":
		c := metav1.GetControllerOf(d.owner.meta)
		if c == nil {
			return ""
		}
		for _, rs := range x.replicaSetsOf[c.UID] {
			if string(rs.UID) != d.revisionKey && runsTemplate(p, &rs.Spec.Template) {
				return "ReplicaSet " + rs.Name
			}
		}
	case "StatefulSet", "DaemonSet":
		for _, cr := range x.revisions[d.owner.meta.UID] {
			if cr.Name == d.revisionKey {
				continue
			}
			if t, err := x.template(cr); err == nil && runsTemplate(p, t) {
				return "ControllerRevision " + cr.Name
			}
		}
	}
	return ""
}

// runsTemplate reports whether every container and init container of t
// has the same image in p.
func runsTemplate(p *corev1.Pod, t *corev1.PodTemplateSpec) bool {
	for _, role := range []string{roleContainer, roleInit} {
		tcs := t.Spec.Containers
		if role == roleInit {
			tcs = t.Spec.InitContainers
		}
		for _, tc := range tcs {
			found := false
			for _, c := range podContainers(p, role) {
				if c.Name == tc.Name {
					found = sameImage(tc.Image, c.Image)
					break
				}
			}
			if !found {
				return false
			}
		}
	}
	return true
}
