package cluster

import (
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/immutcheck/immutcheck/model"
)

// Options are the settings of reading a snapshot into the model.
type Options struct {
	// Now is the time ages are measured at; zero means the snapshot's
	// start (and the current time when that is zero too).
	Now time.Time
	// PoolLabels are the node labels that group nodes into pools, tried
	// in order; empty means DefaultPoolLabels.
	PoolLabels []string
}

// File returns the model of a snapshot, for the catalog to judge: the live
// pod templates as workloads (see Workloads), the running pods and nodes
// as instances and what could not be read as problems (see Instances).
func File(s *Snapshot, o Options) *model.File {
	f := &model.File{Path: "cluster", Format: "kubernetes", Workloads: Workloads(s)}
	f.Instances, f.Problems = Instances(s, o)
	return f
}

// Instances returns one instance per live pod and per node of the snapshot,
// and a ClusterUnread problem per collection that was not listed and per
// pod whose template should be there but could not be found or read
// (see declaredOf).
//
// What is read, and what is left out because there is nothing to judge:
//
//   - pods being deleted, finished pods and static pods' mirrors are not
//     instances: the first two are leaving, the last is declared by a
//     file on its node, not by a template the API server holds;
//   - a pod's Containers are its container statuses, each with the image
//     the template of the revision it claims declares (its own spec for a
//     pod with nothing to compare with: see declaredOf); a pod whose
//     template could not be read has none, and a problem instead;
//   - Owner is the pod's controller, Revision the revision whose template
//     it was compared with. A pod of an OnDelete DaemonSet or StatefulSet
//     left on an older revision claims that revision and is compared with
//     it: an update not rolled out yet is not drift;
//   - Edits are what the API lets a client change on a live pod that
//     differs from the template (see podEdits); Ephemeral its debug
//     containers;
//   - Age is measured for running pods only, from the pod's creation
//     (status.startTime when creationTimestamp is not set);
//   - nodes being deleted are left out; a node's Platform carries the pool
//     its first pool label names.
func Instances(s *Snapshot, o Options) ([]*model.Instance, []model.Problem) {
	now := o.Now
	if now.IsZero() {
		now = s.Started
	}
	if now.IsZero() {
		now = time.Now()
	}
	pools := o.PoolLabels
	if len(pools) == 0 {
		pools = DefaultPoolLabels
	}
	unread := map[string]bool{}
	for _, u := range s.Unread {
		unread[u.Resource] = true
	}
	problems := unreadProblems(s.Unread)
	x := newIndex(s)
	out := make([]*model.Instance, 0, len(s.Pods)+len(s.Nodes))
	for i := range s.Pods {
		p := &s.Pods[i]
		if !active(p) {
			continue
		}
		in := podInstance(p, now)
		d, err := x.declaredOf(p)
		if err != nil {
			problems = append(problems, undeclaredProblems(p, err, unread)...)
			in.Owner = controllerRef(p)
		} else {
			x.compare(in, p, d)
		}
		out = append(out, in)
	}
	for i := range s.Nodes {
		if n := &s.Nodes[i]; n.DeletionTimestamp == nil {
			out = append(out, nodeInstance(n, pools))
		}
	}
	return out, problems
}

// podInstance reads what a pod is by itself: its names, age and debug
// containers.
func podInstance(p *corev1.Pod, now time.Time) *model.Instance {
	r := podRef(p)
	in := &model.Instance{Kind: "Pod", Subject: r.subject(), Object: r.object(), Location: r.location(), Node: p.Spec.NodeName}
	if p.Status.Phase == corev1.PodRunning {
		born := p.CreationTimestamp.Time
		if born.IsZero() && p.Status.StartTime != nil {
			born = p.Status.StartTime.Time
		}
		if !born.IsZero() {
			in.Created, in.Age = born, now.Sub(born)
		}
	}
	in.Ephemeral = ephemeralContainers(p)
	return in
}

// compare fills what pod p runs against its declaration d (nil: its own
// spec): its running containers, its owner (its controller, whether a
// template was found or not), and for a template its revision and edits.
func (x *index) compare(in *model.Instance, p *corev1.Pod, d *declared) {
	in.Containers = x.runningContainers(p, d)
	if d == nil {
		in.Owner = controllerRef(p)
		return
	}
	in.Owner, in.Revision = d.ownerRef, d.revision
	in.Edits = x.podEdits(p, d)
}

// controllerRef is the model reference of p's controller, nil for none.
func controllerRef(p *corev1.Pod) *model.ObjectRef {
	c := controller(p)
	if c == nil {
		return nil
	}
	return &model.ObjectRef{APIVersion: c.APIVersion, Kind: c.Kind, Namespace: p.Namespace, Name: c.Name, UID: string(c.UID)}
}

// nodeInstance reads a node: what it runs and the pool its first pool
// label names.
func nodeInstance(n *corev1.Node, poolLabels []string) *model.Instance {
	r := nodeRef(n)
	info := &n.Status.NodeInfo
	pl := &model.Platform{OSImage: info.OSImage, Kernel: info.KernelVersion, Runtime: info.ContainerRuntimeVersion, Kubelet: info.KubeletVersion}
	for _, l := range poolLabels {
		if v, ok := n.Labels[l]; ok {
			pl.Pool, pl.PoolLabel = v, l
			break
		}
	}
	return &model.Instance{Kind: "Node", Subject: r.subject(), Object: r.object(), Location: r.location(), Node: n.Name, Platform: pl}
}
