package evict

import (
	"cmp"
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/immutcheck/immutcheck/live/cluster"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// Evictable are the rules whose findings remediation acts on: each says a
// running pod is not what its owner declares, and evicting the pod makes
// the owner recreate it from the declaration.
var Evictable = []*rules.Rule{
	rules.RunningDigestMismatch,
	rules.ReplicaDigestSkew,
	rules.PodModifiedInPlace,
	rules.EphemeralContainer,
}

// Target is a pod remediation evicts, as the snapshot saw it.
type Target struct {
	// Pod is the pod (Kind "Pod"). In a Skip it may be the workload of a
	// replica-digest-skew finding when no pod of it could be chosen.
	Pod model.ObjectRef
	// ResourceVersion is the pod's resourceVersion in the snapshot; the
	// eviction is refused when the pod changed since.
	ResourceVersion string
	// Owner is the pod's controller; Kind is empty when it has none.
	Owner model.ObjectRef
	// Selector is the owner's label selector, used to find its pods when
	// waiting for a replacement; empty when the snapshot lacks the owner.
	Selector string
	// Rules are the IDs of the findings that flagged the pod, sorted.
	Rules []string
}

// Skip is a flagged pod remediation leaves alone, and why.
type Skip struct {
	Target
	Reason string
}

// Plan is what a remediation run evicts and what it skips.
type Plan struct {
	Evict   []Target
	Skipped []Skip
}

// evictCandidate is a pod (or workload) findings flagged, while planning.
type evictCandidate struct {
	ref        model.ObjectRef
	pod        *corev1.Pod
	rules      []string
	suppressed []string
	reason     string // set when the finding cannot be acted on at all
}

// NewPlan decides which pods flagged by the Evictable rules to evict.
//
// A finding on a Pod targets that pod. A replica-digest-skew finding on a
// workload targets its pods whose running digest differs from the one the
// template pins, or, when the template does not pin it, from the digest
// most replicas run (see evictSkewedPods). Pods are skipped, with the reason,
// when: every finding on them is suppressed; they are mirror pods; they
// are in kube-system and o.IncludeSystem is false; they have no
// controller ("cannot replace: no controller"); their controller is a Job
// (evicting would restart its work); the snapshot lacks their UID or
// resourceVersion (the preconditions); they are terminating or finished;
// they are not in the snapshot or have another UID there; or they exceed
// o.MaxPerNamespace or o.MaxTotal. Pods are taken in namespace and name
// order, so the caps always keep the same ones.
func NewPlan(s *cluster.Snapshot, findings []rules.Finding, o Options) Plan {
	o = o.withDefaults()
	idx := evictIndexWorkloads(s)
	cands := evictCandidates(s, idx, findings)
	var p Plan
	perNS := map[string]int{}
	for _, c := range cands {
		t := c.target(idx)
		reason := c.reason
		if reason == "" {
			reason = evictSkipReason(c, o)
		}
		if reason == "" && len(p.Evict) >= o.MaxTotal {
			reason = fmt.Sprintf("over the cap of %d evictions per run", o.MaxTotal)
		}
		if reason == "" && perNS[t.Pod.Namespace] >= o.MaxPerNamespace {
			reason = fmt.Sprintf("over the cap of %d evictions per namespace", o.MaxPerNamespace)
		}
		if reason != "" {
			p.Skipped = append(p.Skipped, Skip{Target: t, Reason: reason})
			continue
		}
		perNS[t.Pod.Namespace]++
		p.Evict = append(p.Evict, t)
	}
	return p
}

// evictSkipReason says why a pod the findings flag is not evicted, or "".
func evictSkipReason(c *evictCandidate, o Options) string {
	pod := c.pod
	switch owner := metav1.GetControllerOfNoCopy(pod); {
	case len(c.rules) == 0:
		return "finding suppressed"
	case pod.Annotations[cluster.MirrorAnnotation] != "":
		return "mirror pod: the kubelet runs it from a file"
	case pod.Namespace == metav1.NamespaceSystem && !o.IncludeSystem:
		return "in kube-system (allow with --include-system-namespaces)"
	case owner == nil || owner.Kind == "":
		return "cannot replace: no controller"
	case owner.Kind == "Job":
		return "owned by a Job: evicting would restart its work"
	case pod.UID == "" || pod.ResourceVersion == "":
		return "no UID or resourceVersion in the snapshot to pin the eviction to"
	case pod.DeletionTimestamp != nil:
		return "already terminating"
	case pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed:
		return "already finished"
	}
	return ""
}

// target describes the candidate as the snapshot saw it.
func (c *evictCandidate) target(idx evictWorkloads) Target {
	rs := c.rules
	if len(rs) == 0 {
		rs = c.suppressed
	}
	t := Target{Pod: c.ref, Rules: rs}
	if c.pod == nil {
		return t
	}
	t.Pod = model.ObjectRef{APIVersion: "v1", Kind: "Pod", Namespace: c.pod.Namespace, Name: c.pod.Name, UID: string(c.pod.UID)}
	t.ResourceVersion = c.pod.ResourceVersion
	if ref := metav1.GetControllerOf(c.pod); ref != nil {
		t.Owner = model.ObjectRef{APIVersion: ref.APIVersion, Kind: ref.Kind, Namespace: c.pod.Namespace, Name: ref.Name, UID: string(ref.UID)}
		t.Selector = idx.selector(ref.UID)
	}
	return t
}

// evictCandidates gathers the pods the Evictable findings flag, one
// candidate per pod with all its rules, sorted by namespace and name.
func evictCandidates(s *cluster.Snapshot, idx evictWorkloads, findings []rules.Finding) []*evictCandidate {
	byKey := map[string]*evictCandidate{}
	add := func(ref model.ObjectRef, pod *corev1.Pod, f rules.Finding, reason string) {
		key := ref.Kind + "/" + ref.Namespace + "/" + ref.Name
		c := byKey[key]
		if c == nil {
			c = &evictCandidate{ref: ref, pod: pod}
			byKey[key] = c
		}
		if c.reason == "" {
			c.reason = reason
		}
		if f.Suppressed {
			c.suppressed = evictAddRule(c.suppressed, f.Rule.ID)
		} else {
			c.rules = evictAddRule(c.rules, f.Rule.ID)
		}
	}
	pods := evictPodIndex(s)
	var own *evictOwnership // built at the first finding on a workload
	for _, f := range findings {
		if f.Rule == nil || f.Object == nil || !evictableRule(f.Rule) {
			continue
		}
		ref := *f.Object
		if ref.Kind != "Pod" {
			if own == nil {
				own = newEvictOwnership(s)
			}
			targets, reason := evictSkewedPods(idx, own, f)
			if reason != "" {
				add(ref, nil, f, reason)
			}
			for _, pod := range targets {
				add(evictPodRef(pod), pod, f, "")
			}
			continue
		}
		pod := pods[ref.Namespace+"/"+ref.Name]
		switch {
		case pod == nil:
			add(ref, nil, f, "not in the snapshot")
		case ref.UID != "" && ref.UID != string(pod.UID):
			add(ref, nil, f, "changed since checked")
		default:
			add(ref, pod, f, "")
		}
	}
	out := make([]*evictCandidate, 0, len(byKey))
	for _, c := range byKey {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *evictCandidate) int {
		return cmp.Or(cmp.Compare(a.ref.Namespace, b.ref.Namespace),
			cmp.Compare(a.ref.Name, b.ref.Name), cmp.Compare(a.ref.Kind, b.ref.Kind))
	})
	return out
}

func evictableRule(r *rules.Rule) bool {
	return slices.ContainsFunc(Evictable, func(e *rules.Rule) bool { return e.ID == r.ID })
}

func evictAddRule(list []string, id string) []string {
	i, found := slices.BinarySearch(list, id)
	if found {
		return list
	}
	return slices.Insert(list, i, id)
}

func evictPodIndex(s *cluster.Snapshot) map[string]*corev1.Pod {
	m := make(map[string]*corev1.Pod, len(s.Pods))
	for i := range s.Pods {
		p := &s.Pods[i]
		m[p.Namespace+"/"+p.Name] = p
	}
	return m
}

func evictPodRef(p *corev1.Pod) model.ObjectRef {
	return model.ObjectRef{APIVersion: "v1", Kind: "Pod", Namespace: p.Namespace, Name: p.Name, UID: string(p.UID)}
}
