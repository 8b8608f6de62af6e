package evict

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	policyv1beta1 "k8s.io/api/policy/v1beta1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

var evictTestPodsGVR = schema.GroupVersionResource{Version: "v1", Resource: "pods"}

// evictTestServer is a fake clientset whose eviction subresource behaves
// like the API server's: it checks the UID and resourceVersion
// preconditions against the stored pod (409), answers 404 for a missing
// pod, and removes the pod. refuse, when set, answers first (a 429 from a
// PodDisruptionBudget, a 500...); after evicting, replace may add the
// controller's replacement.
type evictTestServer struct {
	*fake.Clientset
	mu      sync.Mutex
	posted  []runtime.Object // the eviction bodies, in order
	refuse  func(n int) error
	replace func(old *corev1.Pod) *corev1.Pod
	// lose, when it returns true, makes an accepted eviction answer 503
	// (the answer lost in a restart).
	lose func(n int) bool
	// terminate marks the pod terminating (deletionTimestamp, a new
	// resourceVersion) instead of removing it, as a real kubelet's grace
	// period does.
	terminate bool
}

func newEvictTestServer(t *testing.T, pods ...corev1.Pod) *evictTestServer {
	t.Helper()
	s := &evictTestServer{Clientset: fake.NewClientset()}
	for i := range pods {
		if err := s.Tracker().Add(&pods[i]); err != nil {
			t.Fatal(err)
		}
	}
	s.PrependReactor("create", "pods", s.react)
	s.PrependReactor("delete", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
		t.Errorf("pod deleted directly: %v", a)
		return true, nil, apierrors.NewMethodNotSupported(evictTestPodsGVR.GroupResource(), "delete")
	})
	return s
}

func (s *evictTestServer) react(a k8stesting.Action) (bool, runtime.Object, error) {
	if a.GetSubresource() != "eviction" {
		return false, nil, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	body := a.(k8stesting.CreateAction).GetObject()
	s.posted = append(s.posted, body)
	if s.refuse != nil {
		if err := s.refuse(len(s.posted)); err != nil {
			return true, nil, err
		}
	}
	var name string
	var opts *metav1.DeleteOptions
	switch e := body.(type) {
	case *policyv1.Eviction:
		name, opts = e.Name, e.DeleteOptions
	case *policyv1beta1.Eviction:
		name, opts = e.Name, e.DeleteOptions
	}
	obj, err := s.Tracker().Get(evictTestPodsGVR, a.GetNamespace(), name)
	if err != nil {
		return true, nil, err
	}
	pod := obj.(*corev1.Pod)
	if pre := opts.Preconditions; pre != nil {
		if pre.UID != nil && *pre.UID != pod.UID || pre.ResourceVersion != nil && *pre.ResourceVersion != pod.ResourceVersion {
			return true, nil, apierrors.NewConflict(evictTestPodsGVR.GroupResource(), name, nil)
		}
	}
	if s.terminate {
		pod = pod.DeepCopy()
		pod.DeletionTimestamp, pod.ResourceVersion = &metav1.Time{Time: time.Now()}, pod.ResourceVersion+"1"
		if err := s.Tracker().Update(evictTestPodsGVR, pod, a.GetNamespace()); err != nil {
			return true, nil, err
		}
	} else if err := s.Tracker().Delete(evictTestPodsGVR, a.GetNamespace(), name); err != nil {
		return true, nil, err
	}
	if s.replace != nil {
		if np := s.replace(pod); np != nil {
			if err := s.Tracker().Add(np); err != nil {
				return true, nil, err
			}
		}
	}
	if s.lose != nil && s.lose(len(s.posted)) {
		return true, nil, apierrors.NewServiceUnavailable("restarting")
	}
	return true, nil, nil
}

// evictTestTarget is the plan's target for a pod.
func evictTestTarget(p corev1.Pod) Target {
	t := Target{Pod: evictPodRef(&p), ResourceVersion: p.ResourceVersion, Rules: []string{"pod-modified-in-place"}}
	if ref := metav1.GetControllerOf(&p); ref != nil {
		t.Owner.Kind, t.Owner.Name, t.Owner.UID = ref.Kind, ref.Name, string(ref.UID)
	}
	return t
}

// evictTestPDB is the 429 the API server answers when a
// PodDisruptionBudget allows no disruption.
func evictTestPDB(name string) error {
	err := apierrors.NewTooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", 0)
	err.ErrStatus.Details.Causes = append(err.ErrStatus.Details.Causes, metav1.StatusCause{
		Type: policyv1.DisruptionBudgetCause, Message: "The disruption budget " + name + " needs 2 healthy pods and has 2 currently"})
	return err
}

// evictTestFast are options with short pauses for unit tests.
var evictTestFast = Options{Interval: time.Millisecond, RetryInterval: time.Millisecond, Timeout: 200 * time.Millisecond}

func TestEvictResults(t *testing.T) {
	t.Parallel()
	rs := evictTestOwner("ReplicaSet", "web-6f9")
	pod := evictTestPod("shop", "web-1", rs, "")
	tests := []struct {
		name       string
		target     func(Target) Target
		refuse     func(n int) error
		want       Result
		wantDetail string
		wantPosts  int
		wantGone   bool
	}{
		{name: "evicted", want: Evicted, wantPosts: 1, wantGone: true},
		{name: "changed since checked", target: func(t Target) Target { t.ResourceVersion = "6"; return t },
			want: Skipped, wantDetail: "changed since checked", wantPosts: 1},
		{name: "recreated under the same name", target: func(t Target) Target { t.Pod.UID = "uid-old"; return t },
			want: Skipped, wantDetail: "changed since checked", wantPosts: 1},
		{name: "already gone", target: func(t Target) Target { t.Pod.Name = "web-9"; return t },
			want: Gone, wantDetail: "already gone", wantPosts: 1},
		{name: "PDB refuses twice, then allows", want: Evicted, wantPosts: 3, wantGone: true,
			refuse: func(n int) error {
				if n < 3 {
					return evictTestPDB("web")
				}
				return nil
			}},
		{name: "PDB refuses until the timeout", want: Blocked, wantDetail: "blocked by PodDisruptionBudget web for 200ms",
			refuse: func(int) error { return evictTestPDB("web") }},
		{name: "throttled until the timeout", want: Blocked, wantDetail: "throttled by the API server for 200ms",
			refuse: func(int) error { return apierrors.NewTooManyRequests("slow down", 0) }},
		{name: "server error", want: Failed, wantPosts: 1,
			wantDetail: `evict: Internal error occurred: etcd down`,
			refuse:     func(int) error { return apierrors.NewInternalError(evictTestErr("etcd down")) }},
		{name: "forbidden", want: Failed, wantPosts: 1,
			wantDetail: `evict: pods "web-1" is forbidden: no`,
			refuse: func(int) error {
				return apierrors.NewForbidden(evictTestPodsGVR.GroupResource(), "web-1", evictTestErr("no"))
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newEvictTestServer(t, pod)
			srv.refuse = tt.refuse
			target := evictTestTarget(pod)
			if tt.target != nil {
				target = tt.target(target)
			}
			var log bytes.Buffer
			got := Run(context.Background(), srv, Plan{Evict: []Target{target}}, evictTestFast, &log)
			if len(got) != 1 {
				t.Fatalf("%d outcomes, want 1", len(got))
			}
			if got[0].Result != tt.want || got[0].Detail != tt.wantDetail {
				t.Errorf("outcome %s %q, want %s %q", got[0].Result, got[0].Detail, tt.want, tt.wantDetail)
			}
			if tt.wantPosts > 0 && len(srv.posted) != tt.wantPosts {
				t.Errorf("%d evictions posted, want %d", len(srv.posted), tt.wantPosts)
			}
			if tt.want == Blocked && len(srv.posted) < 2 {
				t.Errorf("blocked after %d attempts, want retries", len(srv.posted))
			}
			_, err := srv.CoreV1().Pods("shop").Get(context.Background(), "web-1", metav1.GetOptions{})
			if gone := apierrors.IsNotFound(err); gone != tt.wantGone {
				t.Errorf("pod gone %v, want %v (err %v)", gone, tt.wantGone, err)
			}
			if want := string(tt.want) + " pod shop/" + target.Pod.Name + " (ReplicaSet web-6f9)"; !strings.HasPrefix(log.String(), want) {
				t.Errorf("log %q, want it to start with %q", log.String(), want)
			}
		})
	}
}

type evictTestErr string

func (e evictTestErr) Error() string { return string(e) }

func TestEvictPreconditions(t *testing.T) {
	t.Parallel()
	pod := evictTestPod("shop", "web-1", evictTestOwner("ReplicaSet", "web-6f9"), "")
	srv := newEvictTestServer(t, pod)
	Run(context.Background(), srv, Plan{Evict: []Target{evictTestTarget(pod)}}, evictTestFast, &bytes.Buffer{})
	uid, rv := pod.UID, "7"
	want := []runtime.Object{&policyv1.Eviction{
		ObjectMeta:    metav1.ObjectMeta{Namespace: "shop", Name: "web-1"},
		DeleteOptions: &metav1.DeleteOptions{Preconditions: &metav1.Preconditions{UID: &uid, ResourceVersion: &rv}},
	}}
	if diff := cmp.Diff(want, srv.posted); diff != "" {
		t.Errorf("posted (-want +got):\n%s", diff)
	}
}

func TestEvictV1beta1Fallback(t *testing.T) {
	t.Parallel()
	pod := evictTestPod("shop", "web-1", evictTestOwner("ReplicaSet", "web-6f9"), "")
	srv := newEvictTestServer(t, pod)
	srv.Resources = []*metav1.APIResourceList{{GroupVersion: "v1", APIResources: []metav1.APIResource{
		{Name: "pods", Kind: "Pod", Namespaced: true},
		{Name: "pods/eviction", Group: "policy", Version: "v1beta1", Kind: "Eviction", Namespaced: true},
	}}}
	got := Run(context.Background(), srv, Plan{Evict: []Target{evictTestTarget(pod)}}, evictTestFast, &bytes.Buffer{})
	if got[0].Result != Evicted {
		t.Fatalf("outcome %s %q, want evicted", got[0].Result, got[0].Detail)
	}
	if _, ok := srv.posted[0].(*policyv1beta1.Eviction); !ok {
		t.Errorf("posted %T, want a policy/v1beta1 Eviction", srv.posted[0])
	}
}

// evictTestReady marks a pod ready.
func evictTestReady(p corev1.Pod) corev1.Pod {
	p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}
	return p
}

func TestEvictWaitsForReplacement(t *testing.T) {
	t.Parallel()
	rs := evictTestOwner("ReplicaSet", "web-6f9")
	a := evictTestReady(evictTestPod("shop", "web-a", rs, ""))
	b := evictTestReady(evictTestPod("shop", "web-b", rs, ""))
	other := evictTestReady(evictTestPod("shop", "api-a", evictTestOwner("ReplicaSet", "api-1"), ""))
	plan := Plan{Evict: []Target{evictTestTarget(a), evictTestTarget(b), evictTestTarget(other)}}
	tests := []struct {
		name    string
		replace bool // the controller creates a ready replacement
		noWait  bool
		want    []Result
	}{
		{"replacement ready", true, false, []Result{Evicted, Evicted, Evicted}},
		{"no replacement", false, false, []Result{Evicted, Skipped, Evicted}},
		{"no replacement, no wait", false, true, []Result{Evicted, Evicted, Evicted}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newEvictTestServer(t, a, b, other)
			if tt.replace {
				srv.replace = func(old *corev1.Pod) *corev1.Pod {
					np := old.DeepCopy()
					np.Name, np.UID = old.Name+"-new", old.UID+"-new"
					return np
				}
			}
			o := evictTestFast
			o.NoWait = tt.noWait
			var log bytes.Buffer
			got := Run(context.Background(), srv, plan, o, &log)
			var results []Result
			for _, oc := range got {
				results = append(results, oc.Result)
			}
			if diff := cmp.Diff(tt.want, results); diff != "" {
				t.Errorf("results (-want +got):\n%s\nlog:\n%s", diff, log.String())
			}
			if !tt.replace && !tt.noWait && !strings.Contains(got[1].Detail, "replacement of web-a not ready after 200ms (1 of 2 pods") {
				t.Errorf("detail %q", got[1].Detail)
			}
		})
	}
}

func TestEvictInterrupted(t *testing.T) {
	t.Parallel()
	pod := evictTestPod("shop", "web-1", evictTestOwner("ReplicaSet", "web-6f9"), "")
	srv := newEvictTestServer(t, pod)
	ctx, cancel := context.WithCancel(context.Background())
	srv.refuse = func(int) error { cancel(); return evictTestPDB("web") }
	o := evictTestFast
	o.Timeout = time.Hour
	got := Run(ctx, srv, Plan{Evict: []Target{evictTestTarget(pod), evictTestTarget(pod)}}, o, &bytes.Buffer{})
	for _, oc := range got {
		if oc.Result != Failed || oc.Detail != "interrupted" {
			t.Errorf("outcome %s %q, want failed: interrupted", oc.Result, oc.Detail)
		}
	}
	if len(srv.posted) != 1 {
		t.Errorf("%d evictions posted after the interruption, want 1", len(srv.posted))
	}
}

func TestEvictSiblingsAfterRefusal(t *testing.T) {
	t.Parallel()
	rs := evictTestOwner("ReplicaSet", "web-6f9")
	a := evictTestReady(evictTestPod("shop", "web-a", rs, ""))
	b := evictTestReady(evictTestPod("shop", "web-b", rs, ""))
	tests := []struct {
		name       string
		first      func(Target) Target
		refuse     func(n int) error
		want       []Result
		wantDetail string // of the second outcome
	}{
		{name: "blocked: the sibling is not tried", refuse: func(int) error { return evictTestPDB("web") },
			want: []Result{Blocked, Skipped}, wantDetail: "not tried: the eviction of web-a was blocked"},
		{name: "changed: the sibling goes without waiting",
			first: func(t Target) Target { t.ResourceVersion = "1"; return t },
			want:  []Result{Skipped, Evicted}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newEvictTestServer(t, a, b)
			srv.refuse = tt.refuse
			first := evictTestTarget(a)
			if tt.first != nil {
				first = tt.first(first)
			}
			o := evictTestFast
			o.Timeout = time.Hour // a wait for a replacement would never end
			if tt.refuse != nil {
				o.Timeout = 50 * time.Millisecond
			}
			got := Run(context.Background(), srv, Plan{Evict: []Target{first, evictTestTarget(b)}}, o, &bytes.Buffer{})
			results := []Result{got[0].Result, got[1].Result}
			if !cmp.Equal(results, tt.want) || got[1].Detail != tt.wantDetail {
				t.Errorf("results %v, second %q; want %v %q", results, got[1].Detail, tt.want, tt.wantDetail)
			}
		})
	}
}

func TestEvictAcrossRestarts(t *testing.T) {
	t.Parallel()
	pod := evictTestPod("shop", "web-1", evictTestOwner("ReplicaSet", "web-6f9"), "")
	unavailable := func(n int) error {
		if n < 3 {
			return apierrors.NewServiceUnavailable("restarting")
		}
		return nil
	}
	first := func(n int) bool { return n == 1 }
	tests := []struct {
		name       string
		refuse     func(int) error
		lose       func(int) bool
		terminate  bool
		want       Result
		wantDetail string
	}{
		{name: "unavailable twice", refuse: unavailable, want: Evicted},
		{name: "unavailable until the timeout", refuse: func(int) error { return apierrors.NewServiceUnavailable("restarting") },
			want: Failed, wantDetail: "evict: API server unavailable for 200ms: restarting"},
		{name: "answer lost, pod gone", lose: first, want: Evicted, wantDetail: "gone after an unanswered attempt"},
		{name: "answer lost, pod terminating", lose: first, terminate: true, want: Evicted, wantDetail: "terminating after an unanswered attempt"},
		{name: "terminating without a lost answer is a change", terminate: true, refuse: func(n int) error {
			if n == 1 {
				return apierrors.NewConflict(evictTestPodsGVR.GroupResource(), "web-1", nil)
			}
			return nil
		}, want: Skipped, wantDetail: "changed since checked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newEvictTestServer(t, pod)
			srv.refuse, srv.lose, srv.terminate = tt.refuse, tt.lose, tt.terminate
			got := Run(context.Background(), srv, Plan{Evict: []Target{evictTestTarget(pod)}}, evictTestFast, &bytes.Buffer{})
			if got[0].Result != tt.want || got[0].Detail != tt.wantDetail {
				t.Errorf("outcome %s %q, want %s %q", got[0].Result, got[0].Detail, tt.want, tt.wantDetail)
			}
		})
	}
}
