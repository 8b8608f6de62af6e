package evict

import (
	"slices"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/immutcheck/immutcheck/live/cluster"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// evictSkewedPods resolves a finding on a workload (a replica-digest-skew on a
// ReplicaSet, StatefulSet, DaemonSet or Deployment) to the pods to evict.
//
// The workload's pods are grouped by revision: by ReplicaSet (a
// Deployment's pods too), by controller-revision-hash label for the pods of
// a StatefulSet or DaemonSet, so that pods a rollout has not reached yet
// are never condemned for running the previous revision. In a ReplicaSet,
// a container whose template pins a digest condemns the pods running
// another digest. Otherwise (a template that does not pin it, or a
// StatefulSet or DaemonSet revision, whose template the snapshot may not
// hold) a container condemns the pods not running the digest a strict
// majority of the revision's pods runs. With no
// majority (one pod on each of two digests) nothing tells which replicas
// are wrong, and the finding is skipped with that reason. Pods whose
// runtime has not reported a digest yet are never condemned.
func evictSkewedPods(idx evictWorkloads, own *evictOwnership, f rules.Finding) ([]*corev1.Pod, string) {
	ref := *f.Object
	if f.Rule.ID != rules.ReplicaDigestSkew.ID {
		return nil, "finding is on a " + ref.Kind + ", not on a pod"
	}
	uid := types.UID(ref.UID)
	if uid == "" {
		uid = idx.find(ref)
	}
	if uid == "" {
		return nil, "not in the snapshot"
	}
	type revision struct {
		owner types.UID
		hash  string
	}
	groups := map[revision][]*corev1.Pod{}
	for _, owner := range append([]types.UID{uid}, own.children[uid]...) {
		for _, p := range own.pods[owner] {
			r := revision{owner, p.Labels[appsv1.ControllerRevisionHashLabelKey]}
			groups[r] = append(groups[r], p)
		}
	}
	var out []*corev1.Pod
	ambiguous := false
	for r, pods := range groups {
		pinned := map[string]string{}
		if w := idx[r.owner]; w.kind == "ReplicaSet" {
			pinned = evictPinnedDigests(w.template)
		}
		odd, ok := evictOddPods(pods, pinned)
		ambiguous = ambiguous || !ok
		out = append(out, odd...)
	}
	slices.SortFunc(out, func(a, b *corev1.Pod) int { return strings.Compare(a.Name, b.Name) })
	if len(out) == 0 {
		if ambiguous {
			return nil, "no digest runs on a majority of replicas: cannot tell which ones drifted"
		}
		return nil, "no pod of it runs another digest than its siblings"
	}
	return out, ""
}

// evictOddPods returns the pods of one revision whose running digest differs
// from the pinned one, or from the majority's; ok is false when some
// container had no majority.
func evictOddPods(pods []*corev1.Pod, pinned map[string]string) (odd []*corev1.Pod, ok bool) {
	want := map[string]string{}
	ok = true
	counts := map[string]map[string]int{}
	known := map[string]int{}
	for _, p := range pods {
		for ctr, d := range evictRunningDigests(p) {
			if counts[ctr] == nil {
				counts[ctr] = map[string]int{}
			}
			counts[ctr][d]++
			known[ctr]++
		}
	}
	for ctr, byDigest := range counts {
		if d := pinned[ctr]; d != "" {
			want[ctr] = d
			continue
		}
		for d, n := range byDigest {
			if 2*n > known[ctr] {
				want[ctr] = d
			}
		}
		if want[ctr] == "" && len(byDigest) > 1 {
			ok = false
		}
	}
	for _, p := range pods {
		for ctr, d := range evictRunningDigests(p) {
			if w := want[ctr]; w != "" && d != w {
				odd = append(odd, p)
				break
			}
		}
	}
	return odd, ok
}

// evictRunningDigests maps a pod's container names to the repository digest
// each runs, read as the live rules read status imageIDs (model.ParseImageID): a
// config digest (a bare image ID) is left out, it is not comparable with a
// manifest digest.
func evictRunningDigests(p *corev1.Pod) map[string]string {
	m := map[string]string{}
	for _, st := range p.Status.ContainerStatuses {
		if id := model.ParseImageID(st.ImageID); id.Digest != "" && !id.Config {
			m[st.Name] = id.Digest
		}
	}
	return m
}

// evictPinnedDigests maps a template's container names to the digests their
// images pin.
func evictPinnedDigests(t *corev1.PodTemplateSpec) map[string]string {
	m := map[string]string{}
	if t == nil {
		return m
	}
	for _, c := range t.Spec.Containers {
		if a := model.NewArtifact(c.Image, model.Location{}); a.Pinned() {
			m[c.Name] = a.Digest
		}
	}
	return m
}

// find returns the UID of a workload by kind, namespace and name.
func (idx evictWorkloads) find(ref model.ObjectRef) types.UID {
	for uid, m := range idx {
		if m.kind == ref.Kind && m.meta.Namespace == ref.Namespace && m.meta.Name == ref.Name {
			return uid
		}
	}
	return ""
}

// selector returns the label selector of the controller with that UID, as
// a string, or "" when unknown.
func (idx evictWorkloads) selector(uid types.UID) string {
	m, ok := idx[uid]
	if !ok || m.selector == nil {
		return ""
	}
	sel, err := metav1.LabelSelectorAsSelector(m.selector)
	if err != nil {
		return ""
	}
	return sel.String()
}

// evictOwnership maps controllers to what they own in a snapshot.
type evictOwnership struct {
	// pods by the UID of their controller.
	pods map[types.UID][]*corev1.Pod
	// children are the ReplicaSets by the UID of their Deployment.
	children map[types.UID][]types.UID
}

// newEvictOwnership indexes the snapshot's pods and ReplicaSets by
// controller.
func newEvictOwnership(s *cluster.Snapshot) *evictOwnership {
	o := &evictOwnership{pods: map[types.UID][]*corev1.Pod{}, children: map[types.UID][]types.UID{}}
	for i := range s.Pods {
		p := &s.Pods[i]
		if c := metav1.GetControllerOfNoCopy(p); c != nil {
			o.pods[c.UID] = append(o.pods[c.UID], p)
		}
	}
	for i := range s.ReplicaSets {
		rs := &s.ReplicaSets[i]
		if c := metav1.GetControllerOfNoCopy(rs); c != nil {
			o.children[c.UID] = append(o.children[c.UID], rs.UID)
		}
	}
	return o
}

// evictWorkload is what remediation reads of a controller of pods.
type evictWorkload struct {
	kind     string
	meta     *metav1.ObjectMeta
	template *corev1.PodTemplateSpec
	selector *metav1.LabelSelector
}

// evictWorkloads maps UIDs to the snapshot's controllers of pods.
type evictWorkloads map[types.UID]evictWorkload

// evictIndexWorkloads indexes the snapshot's controllers of pods by UID.
func evictIndexWorkloads(s *cluster.Snapshot) evictWorkloads {
	var out []evictWorkload
	for i := range s.ReplicaSets {
		w := &s.ReplicaSets[i]
		out = append(out, evictWorkload{"ReplicaSet", &w.ObjectMeta, &w.Spec.Template, w.Spec.Selector})
	}
	for i := range s.StatefulSets {
		w := &s.StatefulSets[i]
		out = append(out, evictWorkload{"StatefulSet", &w.ObjectMeta, &w.Spec.Template, w.Spec.Selector})
	}
	for i := range s.DaemonSets {
		w := &s.DaemonSets[i]
		out = append(out, evictWorkload{"DaemonSet", &w.ObjectMeta, &w.Spec.Template, w.Spec.Selector})
	}
	for i := range s.Deployments {
		w := &s.Deployments[i]
		out = append(out, evictWorkload{"Deployment", &w.ObjectMeta, &w.Spec.Template, w.Spec.Selector})
	}
	for i := range s.Jobs {
		w := &s.Jobs[i]
		out = append(out, evictWorkload{"Job", &w.ObjectMeta, &w.Spec.Template, w.Spec.Selector})
	}
	idx := make(evictWorkloads, len(out))
	for _, m := range out {
		idx[m.meta.UID] = m
	}
	return idx
}
