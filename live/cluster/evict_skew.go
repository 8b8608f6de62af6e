package cluster

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// skewedPods resolves a finding on a workload (a replica-digest-skew on a
// ReplicaSet, StatefulSet, DaemonSet or Deployment) to the pods to evict.
//
// The workload's pods are grouped by their controller (a Deployment's pods
// by ReplicaSet, since each ReplicaSet is one revision). In each group, a
// container whose template pins a digest condemns the pods running another
// digest; a container whose template does not pin one condemns the pods
// not running the digest a strict majority of the group runs. With no
// majority (one pod on each of two digests) nothing tells which replicas
// are wrong, and the finding is skipped with that reason. Pods whose
// runtime has not reported a digest yet are never condemned.
func skewedPods(s *Snapshot, idx workloadIndex, f rules.Finding) ([]*corev1.Pod, string) {
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
	// Group the workload's pods by their controller.
	owners := map[types.UID]bool{uid: true}
	for i := range s.ReplicaSets {
		rs := &s.ReplicaSets[i]
		if c := metav1.GetControllerOf(rs); c != nil && c.UID == uid {
			owners[rs.UID] = true
		}
	}
	groups := map[types.UID][]*corev1.Pod{}
	for i := range s.Pods {
		p := &s.Pods[i]
		if c := metav1.GetControllerOf(p); c != nil && owners[c.UID] {
			groups[c.UID] = append(groups[c.UID], p)
		}
	}
	var out []*corev1.Pod
	ambiguous := false
	for owner, pods := range groups {
		odd, ok := oddPods(pods, pinnedDigests(idx[owner].template))
		ambiguous = ambiguous || !ok
		out = append(out, odd...)
	}
	if len(out) == 0 {
		if ambiguous {
			return nil, "no digest runs on a majority of replicas: cannot tell which ones drifted"
		}
		return nil, "no pod of it runs another digest than its siblings"
	}
	return out, ""
}

// oddPods returns the pods of one revision whose running digest differs
// from the pinned one, or from the majority's; ok is false when some
// container had no majority.
func oddPods(pods []*corev1.Pod, pinned map[string]string) (odd []*corev1.Pod, ok bool) {
	want := map[string]string{}
	ok = true
	counts := map[string]map[string]int{}
	known := map[string]int{}
	for _, p := range pods {
		for ctr, d := range runningDigests(p) {
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
		for ctr, d := range runningDigests(p) {
			if w := want[ctr]; w != "" && d != w {
				odd = append(odd, p)
				break
			}
		}
	}
	return odd, ok
}

// runningDigests maps a pod's container names to the digest each runs,
// from status imageIDs such as "docker.io/library/nginx@sha256:...". An
// imageID without a repository digest (a bare image ID) is left out: it is
// not comparable with a manifest digest.
func runningDigests(p *corev1.Pod) map[string]string {
	m := map[string]string{}
	for _, st := range p.Status.ContainerStatuses {
		i := strings.LastIndexByte(st.ImageID, '@')
		if i < 0 || !strings.HasPrefix(st.ImageID[i+1:], "sha256:") {
			continue
		}
		m[st.Name] = st.ImageID[i+1:]
	}
	return m
}

// pinnedDigests maps a template's container names to the digests their
// images pin.
func pinnedDigests(t *corev1.PodTemplateSpec) map[string]string {
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
func (idx workloadIndex) find(ref model.ObjectRef) types.UID {
	for uid, m := range idx {
		if m.kind == ref.Kind && m.meta.Namespace == ref.Namespace && m.meta.Name == ref.Name {
			return uid
		}
	}
	return ""
}

// selector returns the label selector of the controller with that UID, as
// a string, or "" when unknown.
func (idx workloadIndex) selector(uid types.UID) string {
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

// workloadMeta is what remediation reads of a controller of pods.
type workloadMeta struct {
	kind     string
	meta     *metav1.ObjectMeta
	template *corev1.PodTemplateSpec
	selector *metav1.LabelSelector
}

// workloadIndex maps UIDs to the snapshot's controllers of pods.
type workloadIndex map[types.UID]workloadMeta

// indexWorkloads indexes the snapshot's controllers of pods by UID.
func indexWorkloads(s *Snapshot) workloadIndex {
	var out []workloadMeta
	for i := range s.ReplicaSets {
		w := &s.ReplicaSets[i]
		out = append(out, workloadMeta{"ReplicaSet", &w.ObjectMeta, &w.Spec.Template, w.Spec.Selector})
	}
	for i := range s.StatefulSets {
		w := &s.StatefulSets[i]
		out = append(out, workloadMeta{"StatefulSet", &w.ObjectMeta, &w.Spec.Template, w.Spec.Selector})
	}
	for i := range s.DaemonSets {
		w := &s.DaemonSets[i]
		out = append(out, workloadMeta{"DaemonSet", &w.ObjectMeta, &w.Spec.Template, w.Spec.Selector})
	}
	for i := range s.Deployments {
		w := &s.Deployments[i]
		out = append(out, workloadMeta{"Deployment", &w.ObjectMeta, &w.Spec.Template, w.Spec.Selector})
	}
	for i := range s.Jobs {
		w := &s.Jobs[i]
		out = append(out, workloadMeta{"Job", &w.ObjectMeta, &w.Spec.Template, w.Spec.Selector})
	}
	idx := make(workloadIndex, len(out))
	for _, m := range out {
		idx[m.meta.UID] = m
	}
	return idx
}
