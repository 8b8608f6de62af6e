package evict

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/immutcheck/immutcheck/live/cluster"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

const (
	evictTestDigestA = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	evictTestDigestB = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
)

// evictTestOwner is a controller reference.
func evictTestOwner(kind, name string) *metav1.OwnerReference {
	return &metav1.OwnerReference{APIVersion: "apps/v1", Kind: kind, Name: name, UID: types.UID("uid-" + name), Controller: new(true)}
}

// evictTestPod is a running pod of owner (nil: a naked pod) whose
// container "app" runs digest (empty: not reported).
func evictTestPod(ns, name string, owner *metav1.OwnerReference, digest string) corev1.Pod {
	p := corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, UID: types.UID("uid-" + name), ResourceVersion: "7",
			Labels: map[string]string{"app": "web"}},
		Spec:   corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "example.com/web:1"}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning},
	}
	if owner != nil {
		p.OwnerReferences = []metav1.OwnerReference{*owner}
	}
	if digest != "" {
		p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "app", ImageID: "example.com/web@" + digest}}
	}
	return p
}

// evictTestReplicaSet is a ReplicaSet named name whose template runs image.
func evictTestReplicaSet(ns, name, image string, owner *metav1.OwnerReference) appsv1.ReplicaSet {
	rs := appsv1.ReplicaSet{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, UID: types.UID("uid-" + name)},
		Spec: appsv1.ReplicaSetSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: image}}}},
		},
	}
	if owner != nil {
		rs.OwnerReferences = []metav1.OwnerReference{*owner}
	}
	return rs
}

// evictTestFinding is a finding of rule on an object.
func evictTestFinding(r *rules.Rule, kind, ns, name string) rules.Finding {
	return rules.Finding{Rule: r, Severity: r.Severity, Object: &model.ObjectRef{Kind: kind, Namespace: ns, Name: name, UID: "uid-" + name}}
}

// evictTestNames lists the namespace/name of targets, and of skips with
// their reasons.
func evictTestNames(p Plan) (evict, skip []string) {
	for _, t := range p.Evict {
		evict = append(evict, t.Pod.Namespace+"/"+t.Pod.Name)
	}
	for _, s := range p.Skipped {
		skip = append(skip, s.Pod.Namespace+"/"+s.Pod.Name+": "+s.Reason)
	}
	return evict, skip
}

func TestPlanEvictionsTarget(t *testing.T) {
	t.Parallel()
	rs := evictTestOwner("ReplicaSet", "web-6f9")
	s := &cluster.Snapshot{
		Pods:        []corev1.Pod{evictTestPod("shop", "web-1", rs, "")},
		ReplicaSets: []appsv1.ReplicaSet{evictTestReplicaSet("shop", "web-6f9", "example.com/web:1", nil)},
	}
	p := NewPlan(s, []rules.Finding{
		evictTestFinding(rules.PodModifiedInPlace, "Pod", "shop", "web-1"),
		evictTestFinding(rules.EphemeralContainer, "Pod", "shop", "web-1"),
		evictTestFinding(rules.PodModifiedInPlace, "Pod", "shop", "web-1"),
		evictTestFinding(rules.ExecSession, "Pod", "shop", "web-1"),
	}, Options{})
	want := Plan{Evict: []Target{{
		Pod:             model.ObjectRef{APIVersion: "v1", Kind: "Pod", Namespace: "shop", Name: "web-1", UID: "uid-web-1"},
		ResourceVersion: "7",
		Owner:           model.ObjectRef{APIVersion: "apps/v1", Kind: "ReplicaSet", Namespace: "shop", Name: "web-6f9", UID: "uid-web-6f9"},
		Selector:        "app=web",
		Rules:           []string{"ephemeral-container", "pod-modified-in-place"},
	}}}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
}

func TestPlanEvictionsSkips(t *testing.T) {
	t.Parallel()
	rs := evictTestOwner("ReplicaSet", "web-6f9")
	job := evictTestOwner("Job", "backup")
	node := &metav1.OwnerReference{APIVersion: "v1", Kind: "Node", Name: "n1", UID: "uid-n1", Controller: new(true)}
	mirror := evictTestPod("shop", "static", node, "")
	mirror.Annotations = map[string]string{cluster.MirrorAnnotation: "abc"}
	terminating := evictTestPod("shop", "leaving", rs, "")
	terminating.DeletionTimestamp = &metav1.Time{Time: time.Unix(1, 0)}
	done := evictTestPod("shop", "done", rs, "")
	done.Status.Phase = corev1.PodSucceeded
	unpinned := evictTestPod("shop", "norv", rs, "")
	unpinned.ResourceVersion = ""
	recreated := evictTestPod("shop", "db-0", rs, "")
	recreated.UID = "uid-new"
	s := &cluster.Snapshot{Pods: []corev1.Pod{
		evictTestPod("shop", "naked", nil, ""), mirror, terminating, done, recreated,
		evictTestPod("kube-system", "dns", rs, ""),
		evictTestPod("shop", "backup-x", job, ""),
		evictTestPod("shop", "quiet", rs, ""), unpinned,
	}}
	suppressed := evictTestFinding(rules.PodModifiedInPlace, "Pod", "shop", "quiet")
	suppressed.Suppressed = true
	findings := []rules.Finding{suppressed}
	for _, name := range []string{"naked", "static", "leaving", "done", "db-0", "backup-x", "gone", "norv"} {
		findings = append(findings, evictTestFinding(rules.RunningDigestMismatch, "Pod", "shop", name))
	}
	findings = append(findings, evictTestFinding(rules.PodModifiedInPlace, "Pod", "kube-system", "dns"))

	p := NewPlan(s, findings, Options{})
	evict, skip := evictTestNames(p)
	if len(evict) != 0 {
		t.Errorf("evicts %v, want nothing", evict)
	}
	want := []string{
		"kube-system/dns: in kube-system (allow with --include-system-namespaces)",
		"shop/backup-x: owned by a Job: evicting would restart its work",
		"shop/db-0: changed since checked",
		"shop/done: already finished",
		"shop/gone: not in the snapshot",
		"shop/leaving: already terminating",
		"shop/naked: cannot replace: no controller",
		"shop/norv: no UID or resourceVersion in the snapshot to pin the eviction to",
		"shop/quiet: finding suppressed",
		"shop/static: mirror pod: the kubelet runs it from a file",
	}
	if diff := cmp.Diff(want, skip); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}

	p = NewPlan(s, findings, Options{IncludeSystem: true})
	if evict, _ := evictTestNames(p); !cmp.Equal(evict, []string{"kube-system/dns"}) {
		t.Errorf("with IncludeSystem: evicts %v, want kube-system/dns", evict)
	}
}

func TestPlanEvictionsCaps(t *testing.T) {
	t.Parallel()
	rs := evictTestOwner("ReplicaSet", "web-6f9")
	s := &cluster.Snapshot{}
	var findings []rules.Finding
	for _, ns := range []string{"a", "b"} {
		for i := range 7 {
			name := fmt.Sprintf("web-%d", i)
			s.Pods = append(s.Pods, evictTestPod(ns, name, rs, ""))
			findings = append(findings, evictTestFinding(rules.PodModifiedInPlace, "Pod", ns, name))
		}
	}
	tests := []struct {
		name      string
		o         Options
		wantEvict int
		first     string // first skip
	}{
		{"defaults: 5 per namespace", Options{}, 10, "a/web-5: over the cap of 5 evictions per namespace"},
		{"total", Options{MaxTotal: 3}, 3, "a/web-3: over the cap of 3 evictions per run"},
		{"per namespace", Options{MaxPerNamespace: 1, MaxTotal: 100}, 2, "a/web-1: over the cap of 1 evictions per namespace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := NewPlan(s, findings, tt.o)
			evict, skip := evictTestNames(p)
			if len(evict) != tt.wantEvict || len(evict)+len(skip) != 14 {
				t.Fatalf("evicts %d, skips %d; want %d of 14", len(evict), len(skip), tt.wantEvict)
			}
			if skip[0] != tt.first {
				t.Errorf("first skip %q, want %q", skip[0], tt.first)
			}
		})
	}
}

func TestPlanEvictionsSkewOnWorkload(t *testing.T) {
	t.Parallel()
	dep := evictTestOwner("Deployment", "web")
	rs := evictTestOwner("ReplicaSet", "web-6f9")
	pinned := "example.com/web@" + evictTestDigestA
	tests := []struct {
		name      string
		image     string   // the template's image
		digests   []string // of pods web-0, web-1, ...
		finding   rules.Finding
		wantEvict []string
		wantSkip  []string
	}{
		{
			name: "pinned: other digests go", image: pinned,
			digests:   []string{evictTestDigestB, evictTestDigestA, evictTestDigestB},
			finding:   evictTestFinding(rules.ReplicaDigestSkew, "ReplicaSet", "shop", "web-6f9"),
			wantEvict: []string{"shop/web-0", "shop/web-2"},
		},
		{
			name: "unpinned: the minority goes", image: "example.com/web:1",
			digests:   []string{evictTestDigestA, evictTestDigestB, evictTestDigestA, ""},
			finding:   evictTestFinding(rules.ReplicaDigestSkew, "ReplicaSet", "shop", "web-6f9"),
			wantEvict: []string{"shop/web-1"},
		},
		{
			name: "unpinned tie: nothing", image: "example.com/web:1",
			digests:  []string{evictTestDigestA, evictTestDigestB},
			finding:  evictTestFinding(rules.ReplicaDigestSkew, "ReplicaSet", "shop", "web-6f9"),
			wantSkip: []string{"shop/web-6f9: no digest runs on a majority of replicas: cannot tell which ones drifted"},
		},
		{
			name: "on the Deployment, found by name", image: "example.com/web:1",
			digests: []string{evictTestDigestA, evictTestDigestA, evictTestDigestB},
			finding: rules.Finding{Rule: rules.ReplicaDigestSkew,
				Object: &model.ObjectRef{Kind: "Deployment", Namespace: "shop", Name: "web"}},
			wantEvict: []string{"shop/web-2"},
		},
		{
			name: "other rules on a workload", image: "example.com/web:1",
			digests:  []string{evictTestDigestA, evictTestDigestB, evictTestDigestB},
			finding:  evictTestFinding(rules.RunningDigestMismatch, "ReplicaSet", "shop", "web-6f9"),
			wantSkip: []string{"shop/web-6f9: finding is on a ReplicaSet, not on a pod"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "web", UID: "uid-web"}}
			s := &cluster.Snapshot{
				ReplicaSets: []appsv1.ReplicaSet{evictTestReplicaSet("shop", "web-6f9", tt.image, dep)},
				Deployments: []appsv1.Deployment{d},
			}
			for i, dg := range tt.digests {
				s.Pods = append(s.Pods, evictTestPod("shop", fmt.Sprintf("web-%d", i), rs, dg))
			}
			evict, skip := evictTestNames(NewPlan(s, []rules.Finding{tt.finding}, Options{}))
			if diff := cmp.Diff(tt.wantEvict, evict); diff != "" {
				t.Errorf("evicted (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantSkip, skip); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPlanEvictionsSkewByRevision(t *testing.T) {
	t.Parallel()
	ss := evictTestOwner("StatefulSet", "db")
	pod := func(name, rev, digest string) corev1.Pod {
		p := evictTestPod("shop", name, ss, digest)
		p.Labels[appsv1.ControllerRevisionHashLabelKey] = rev
		return p
	}
	sts := appsv1.StatefulSet{ObjectMeta: metav1.ObjectMeta{Namespace: "shop", Name: "db", UID: "uid-db"}}
	tests := []struct {
		name      string
		pods      []corev1.Pod
		wantEvict []string
		wantSkip  []string
	}{
		{
			name:     "rollout in progress: each revision uniform",
			pods:     []corev1.Pod{pod("db-0", "r1", evictTestDigestA), pod("db-1", "r1", evictTestDigestA), pod("db-2", "r2", evictTestDigestB)},
			wantSkip: []string{"shop/db: no pod of it runs another digest than its siblings"},
		},
		{
			name:      "skew inside a revision",
			pods:      []corev1.Pod{pod("db-0", "r1", evictTestDigestA), pod("db-1", "r1", evictTestDigestB), pod("db-2", "r1", evictTestDigestA)},
			wantEvict: []string{"shop/db-1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := &cluster.Snapshot{Pods: tt.pods, StatefulSets: []appsv1.StatefulSet{sts}}
			f := evictTestFinding(rules.ReplicaDigestSkew, "StatefulSet", "shop", "db")
			evict, skip := evictTestNames(NewPlan(s, []rules.Finding{f}, Options{}))
			if diff := cmp.Diff(tt.wantEvict, evict); diff != "" {
				t.Errorf("evicted (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantSkip, skip); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
		})
	}
}

// BenchmarkPlanEvictions plans over a snapshot the size of the issue's
// benchmark cluster (10,000 pods in 500 ReplicaSets) with 1,000 flagged
// pods and 100 skewed ReplicaSets.
func BenchmarkPlanEvictions(b *testing.B) {
	s := &cluster.Snapshot{}
	var findings []rules.Finding
	for r := range 500 {
		name := fmt.Sprintf("web-%d", r)
		s.ReplicaSets = append(s.ReplicaSets, evictTestReplicaSet(fmt.Sprintf("ns-%d", r%50), name, "example.com/web:1", nil))
		owner := evictTestOwner("ReplicaSet", name)
		for i := range 20 {
			digest := evictTestDigestA
			if i == 0 {
				digest = evictTestDigestB
			}
			p := evictTestPod(fmt.Sprintf("ns-%d", r%50), fmt.Sprintf("%s-%d", name, i), owner, digest)
			s.Pods = append(s.Pods, p)
			if i == 1 && r%5 == 0 || i == 2 && r%2 == 0 {
				findings = append(findings, evictTestFinding(rules.PodModifiedInPlace, "Pod", p.Namespace, p.Name))
			}
		}
		if r%5 == 0 {
			findings = append(findings, evictTestFinding(rules.ReplicaDigestSkew, "ReplicaSet", fmt.Sprintf("ns-%d", r%50), name))
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		p := NewPlan(s, findings, Options{})
		if len(p.Evict) != DefaultMaxEvictions {
			b.Fatalf("%d planned", len(p.Evict))
		}
	}
}
