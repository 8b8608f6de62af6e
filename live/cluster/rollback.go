package cluster

import (
	"cmp"
	"slices"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/immutcheck/immutcheck/model"
)

// RollbackImage is an image a rollback would deploy again: the image of
// one container in one of the previous revisions of a workload.
type RollbackImage struct {
	// Workload is the Deployment, StatefulSet or DaemonSet.
	Workload model.ObjectRef
	// Revision names the previous revision: "ReplicaSet web-5d4f8" or
	// "ControllerRevision db-6c9f7b8d4".
	Revision string
	// Number is the revision number: a ReplicaSet's
	// deployment.kubernetes.io/revision annotation, a ControllerRevision's
	// revision.
	Number int64
	// Role is "container" or "initContainer"; Container is its name.
	Role, Container string
	// Image is the reference as the revision's template writes it.
	Image string
	// Err is set when the revision could not be read (its data does not
	// decode); the other image fields are then empty.
	Err error
}

// Subject is "Kind/NS/NAME revision N container C", for findings.
func (r RollbackImage) Subject() string {
	s := r.Workload.Kind + "/" + r.Workload.Namespace + "/" + r.Workload.Name + " revision " + strconv.FormatInt(r.Number, 10)
	if r.Container != "" {
		s += " " + r.Role + " " + r.Container
	}
	return s
}

// Location is the workload's location, "cluster/NS/kind/NAME".
func (r RollbackImage) Location() model.Location {
	return ObjectLocation(r.Workload.Namespace, r.Workload.Kind, r.Workload.Name)
}

// RollbackImages lists the images of the previous revisions of every
// Deployment, StatefulSet and DaemonSet: up to revisions revisions before
// the current one, newest first. A Deployment's revisions are its
// ReplicaSets, numbered by their deployment.kubernetes.io/revision
// annotation; a StatefulSet's or DaemonSet's are its ControllerRevisions.
// The current revision is the highest number (a rollback renumbers the
// revision it returns to), and is left out.
func RollbackImages(s *Snapshot, revisions int) []RollbackImage {
	if revisions <= 0 {
		return nil
	}
	x := newIndex(s)
	var out []RollbackImage
	for i := range s.Deployments {
		d := &s.Deployments[i]
		w := ref{"apps/v1", "Deployment", &d.ObjectMeta}
		var revs []revisionEntry
		for _, rs := range x.replicaSetsOf[d.UID] {
			n, err := strconv.ParseInt(rs.Annotations[annotationDeploymentRevision], 10, 64)
			if err != nil {
				continue // not (yet) numbered by the Deployment controller
			}
			revs = append(revs, revisionEntry{name: "ReplicaSet " + rs.Name, number: n, template: &rs.Spec.Template})
		}
		out = append(out, previousImages(w, revs, revisions)...)
	}
	sets := func(owner metav1.Object, w ref) {
		var revs []revisionEntry
		for _, cr := range x.revisions[owner.GetUID()] {
			t, err := x.template(cr)
			revs = append(revs, revisionEntry{name: "ControllerRevision " + cr.Name, number: cr.Revision, template: t, err: err})
		}
		out = append(out, previousImages(w, revs, revisions)...)
	}
	for i := range s.StatefulSets {
		ss := &s.StatefulSets[i]
		sets(ss, ref{"apps/v1", "StatefulSet", &ss.ObjectMeta})
	}
	for i := range s.DaemonSets {
		ds := &s.DaemonSets[i]
		sets(ds, ref{"apps/v1", "DaemonSet", &ds.ObjectMeta})
	}
	return out
}

// revisionEntry is one revision of a workload.
type revisionEntry struct {
	name     string
	number   int64
	template *corev1.PodTemplateSpec
	err      error
}

// previousImages returns the images of up to n revisions below the
// highest, newest first.
func previousImages(w ref, revs []revisionEntry, n int) []RollbackImage {
	slices.SortFunc(revs, func(a, b revisionEntry) int { return cmp.Compare(b.number, a.number) })
	if len(revs) > 0 {
		revs = revs[1:]
	}
	revs = revs[:min(n, len(revs))]
	var out []RollbackImage
	for _, r := range revs {
		base := RollbackImage{Workload: *w.object(), Revision: r.name, Number: r.number}
		if r.err != nil {
			base.Err = r.err
			out = append(out, base)
			continue
		}
		for _, role := range []string{roleInit, roleContainer} {
			cs := r.template.Spec.Containers
			if role == roleInit {
				cs = r.template.Spec.InitContainers
			}
			for _, c := range cs {
				img := base
				img.Role, img.Container, img.Image = role, c.Name, c.Image
				out = append(out, img)
			}
		}
	}
	return out
}
