package evict

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes"

	"github.com/immutcheck/immutcheck/internal/kubetest"
	"github.com/immutcheck/immutcheck/live/cluster"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// evictTestTimeout bounds every wait of the end-to-end tests.
const evictTestTimeout = 90 * time.Second

// evictTestEnv is one end-to-end test's namespace and simulated node on
// the shared control plane.
type evictTestEnv struct {
	t    *testing.T
	kc   *kubetest.Cluster
	c    kubernetes.Interface
	ns   string
	node map[string]string // the node selector of this test's node
}

func newEvictTestEnv(t *testing.T) *evictTestEnv {
	t.Helper()
	kc := kubetest.Env(t)
	suffix := kubetest.Suffix()
	node := map[string]string{"e2e.immutcheck.dev/evict": suffix}
	kc.Node(t, "evict-"+suffix, node, corev1.NodeSystemInfo{})
	return &evictTestEnv{t: t, kc: kc, c: kc.Client, ns: kc.Namespace(t, "evict"), node: node}
}

// podSpec runs image on this test's node.
func (e *evictTestEnv) podSpec(labels map[string]string, image string) corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{
		ObjectMeta: metav1.ObjectMeta{Labels: labels},
		Spec: corev1.PodSpec{
			NodeSelector: e.node,
			Containers:   []corev1.Container{{Name: "app", Image: image}},
		},
	}
}

// deployment creates a Deployment of n replicas and returns its running
// pods.
func (e *evictTestEnv) deployment(name string, n int32, image string) []corev1.Pod {
	e.t.Helper()
	labels := map[string]string{"app": name}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: appsv1.DeploymentSpec{
			Replicas: &n, Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: e.podSpec(labels, image),
		},
	}
	if _, err := e.c.AppsV1().Deployments(e.ns).Create(context.Background(), d, metav1.CreateOptions{}); err != nil {
		e.t.Fatalf("create deployment %s: %v", name, err)
	}
	return e.kc.WaitPods(e.t, e.ns, "app="+name, int(n), evictTestTimeout)
}

// statefulSet creates a StatefulSet of one replica, whose pod keeps its
// name when recreated, and returns the pod.
func (e *evictTestEnv) statefulSet(name, image string) corev1.Pod {
	e.t.Helper()
	labels := map[string]string{"app": name}
	one := int32(1)
	s := &appsv1.StatefulSet{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: appsv1.StatefulSetSpec{
			Replicas: &one, ServiceName: name, Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: e.podSpec(labels, image),
		},
	}
	if _, err := e.c.AppsV1().StatefulSets(e.ns).Create(context.Background(), s, metav1.CreateOptions{}); err != nil {
		e.t.Fatalf("create statefulset %s: %v", name, err)
	}
	return e.kc.WaitPods(e.t, e.ns, "app="+name, 1, evictTestTimeout)[0]
}

// setImage patches a running pod's image as `kubectl set image pod/...`
// does, and waits until the pod stops changing.
func (e *evictTestEnv) setImage(pod, image string) {
	e.t.Helper()
	patch := fmt.Sprintf(`{"spec":{"containers":[{"name":"app","image":%q}]}}`, image)
	_, err := e.c.CoreV1().Pods(e.ns).Patch(context.Background(), pod, types.StrategicMergePatchType, []byte(patch), metav1.PatchOptions{})
	if err != nil {
		e.t.Fatalf("patch pod %s: %v", pod, err)
	}
	e.settle(pod)
}

// settle waits until a pod's resourceVersion holds still for a second:
// kwok, playing the kubelet, may still be writing its status.
func (e *evictTestEnv) settle(pod string) {
	e.t.Helper()
	last, since := "", time.Now()
	evictTestWait(e.t, "pod "+pod+" to settle", func() bool {
		p, err := e.c.CoreV1().Pods(e.ns).Get(context.Background(), pod, metav1.GetOptions{})
		if err != nil {
			e.t.Fatalf("get pod %s: %v", pod, err)
		}
		if p.ResourceVersion != last {
			last, since = p.ResourceVersion, time.Now()
		}
		return time.Since(since) > time.Second
	})
}

// watchPods records the pods matching selector as the API server changes
// them, from now until the returned function is called; it returns them
// in order.
func (e *evictTestEnv) watchPods(selector string) func() []corev1.Pod {
	e.t.Helper()
	w, err := e.c.CoreV1().Pods(e.ns).Watch(context.Background(), metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		e.t.Fatalf("watch pods: %v", err)
	}
	var seen []corev1.Pod
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range w.ResultChan() {
			if p, ok := ev.Object.(*corev1.Pod); ok {
				seen = append(seen, *p)
			}
		}
	}()
	return func() []corev1.Pod {
		w.Stop()
		<-done
		return seen
	}
}

// snapshot reads what NewPlan needs of the test's namespace with
// direct LISTs (the audit's lister is tested on its own).
func (e *evictTestEnv) snapshot(extra ...corev1.Pod) *cluster.Snapshot {
	e.t.Helper()
	ctx := context.Background()
	pods, err := e.c.CoreV1().Pods(e.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		e.t.Fatalf("list pods: %v", err)
	}
	rss, err := e.c.AppsV1().ReplicaSets(e.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		e.t.Fatalf("list replicasets: %v", err)
	}
	sts, err := e.c.AppsV1().StatefulSets(e.ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		e.t.Fatalf("list statefulsets: %v", err)
	}
	return &cluster.Snapshot{Pods: append(pods.Items, extra...), ReplicaSets: rss.Items, StatefulSets: sts.Items, Started: time.Now()}
}

// evictTestModified is a pod-modified-in-place finding on a pod, as the
// live rules write it.
func evictTestModified(p corev1.Pod) rules.Finding {
	return rules.Finding{Rule: rules.PodModifiedInPlace, Severity: rules.PodModifiedInPlace.Severity,
		Object: &model.ObjectRef{APIVersion: "v1", Kind: "Pod", Namespace: p.Namespace, Name: p.Name, UID: string(p.UID)}}
}

// evictTestWait polls cond every 200ms until it holds, failing after
// evictTestTimeout.
func evictTestWait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(evictTestTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// evictTestOptions are fast settings for the shared control plane.
var evictTestOptions = Options{Interval: 100 * time.Millisecond, RetryInterval: 500 * time.Millisecond, Timeout: evictTestTimeout}

// TestE2EEvictReplacesModifiedPods patches the image of the three pods of
// a Deployment in place, then remediates: each pod is evicted (the next
// only once the previous one's replacement is ready), and the ReplicaSet
// controller replaces them with pods running the template's image.
func TestE2EEvictReplacesModifiedPods(t *testing.T) {
	t.Parallel()
	e := newEvictTestEnv(t)
	const template = "example.com/web:1"
	pods := e.deployment("web", 3, template)
	var findings []rules.Finding
	for _, p := range pods {
		e.setImage(p.Name, "example.com/web:2")
		findings = append(findings, evictTestModified(p))
	}
	plan := NewPlan(e.snapshot(), findings, Options{})
	if len(plan.Evict) != 3 {
		t.Fatalf("plan evicts %d pods, want 3: %+v", len(plan.Evict), plan)
	}

	events := e.watchPods("app=web")
	var log bytes.Buffer
	o := evictTestOptions
	o.Interval = time.Millisecond // only the wait for the replacement holds the second eviction back
	got := Run(context.Background(), e.c, plan, o, &log)
	for _, oc := range got {
		if oc.Result != Evicted {
			t.Fatalf("%s: %s %s (%v)\nlog:\n%s", oc.Pod.Name, oc.Result, oc.Detail, oc.Err, log.String())
		}
	}
	evictTestWait(t, "replacements running the template's image", func() bool {
		l, err := e.c.CoreV1().Pods(e.ns).List(context.Background(), metav1.ListOptions{LabelSelector: "app=web"})
		if err != nil {
			t.Fatalf("list pods: %v", err)
		}
		ready := 0
		for _, p := range l.Items {
			if slices.ContainsFunc(pods, func(old corev1.Pod) bool { return old.UID == p.UID }) {
				return false // an evicted pod is still there
			}
			if p.Spec.Containers[0].Image != template {
				t.Fatalf("replacement %s runs %s, want the template's %s", p.Name, p.Spec.Containers[0].Image, template)
			}
			if evictPodReady(&p) {
				ready++
			}
		}
		return ready == 3 && len(l.Items) == 3
	})
	// Once the watch has seen it all, in the API server's order of events: before each pod after the
	// first was touched, as many pods were ready as before (the evicted
	// ones not counted): the previous one's replacement was up.
	evicted := map[types.UID]bool{}
	ready := map[types.UID]bool{}
	for _, p := range events() {
		if p.DeletionTimestamp != nil && !evicted[p.UID] {
			evicted[p.UID] = true
			n := 0
			for uid, r := range ready {
				if r && !evicted[uid] {
					n++
				}
			}
			if len(evicted) > 1 && n < 2 {
				t.Fatalf("%s evicted with %d other pods ready, want 2: its sibling's replacement was not waited for", p.Name, n)
			}
		}
		ready[p.UID] = evictPodReady(&p)
	}
	if len(evicted) != 3 {
		t.Errorf("saw %d pods evicted, want 3", len(evicted))
	}
	if want := "evicted pod " + e.ns + "/" + pods[0].Name + " (ReplicaSet "; !strings.Contains(log.String(), want) {
		t.Errorf("log lacks %q:\n%s", want, log.String())
	}
}

// TestE2EEvictBlockedByPDB evicts a pod a PodDisruptionBudget protects
// (minAvailable = replicas): the API server answers 429, Run retries
// and then reports the budget by name, and the pod stays.
func TestE2EEvictBlockedByPDB(t *testing.T) {
	t.Parallel()
	e := newEvictTestEnv(t)
	pods := e.deployment("guarded", 2, "example.com/web:1")
	two := intstr.FromInt32(2)
	pdb := &policyv1.PodDisruptionBudget{
		ObjectMeta: metav1.ObjectMeta{Name: "guard"},
		Spec: policyv1.PodDisruptionBudgetSpec{MinAvailable: &two,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "guarded"}}},
	}
	ctx := context.Background()
	if _, err := e.c.PolicyV1().PodDisruptionBudgets(e.ns).Create(ctx, pdb, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create pdb: %v", err)
	}
	// Until the disruption controller has observed the budget, the API
	// server refuses evictions with another 429 (and a Retry-After).
	evictTestWait(t, "the disruption controller to observe the budget", func() bool {
		got, err := e.c.PolicyV1().PodDisruptionBudgets(e.ns).Get(ctx, "guard", metav1.GetOptions{})
		if err != nil {
			t.Fatalf("get pdb: %v", err)
		}
		return got.Status.ObservedGeneration == got.Generation && got.Status.ExpectedPods == 2
	})
	e.setImage(pods[0].Name, "example.com/web:2")
	plan := NewPlan(e.snapshot(), []rules.Finding{evictTestModified(pods[0])}, Options{})

	o := evictTestOptions
	o.RetryInterval, o.Timeout = 300*time.Millisecond, 2*time.Second
	start := time.Now()
	got := Run(ctx, e.c, plan, o, &bytes.Buffer{})
	if len(got) != 1 || got[0].Result != Blocked || got[0].Detail != "blocked by PodDisruptionBudget guard for 2s" {
		t.Fatalf("outcomes %+v, want blocked by PodDisruptionBudget guard", got)
	}
	if !apierrors.IsTooManyRequests(got[0].Err) {
		t.Errorf("error %v, want the API server's 429", got[0].Err)
	}
	if d := time.Since(start); d < time.Second || d > 10*time.Second {
		t.Errorf("gave up after %v, want about 2s", d)
	}
	p, err := e.c.CoreV1().Pods(e.ns).Get(ctx, pods[0].Name, metav1.GetOptions{})
	if err != nil || p.UID != pods[0].UID || p.DeletionTimestamp != nil {
		t.Errorf("blocked pod: %v (deleting %v)", err, p.DeletionTimestamp)
	}
}

// TestE2EEvictRefusesRecreatedPod decides to evict a StatefulSet pod,
// then the pod is deleted and the controller recreates it under the same
// name: the eviction's UID precondition makes the API server refuse (409)
// and the new pod is untouched. Likewise for a pod changed after the
// decision (resourceVersion precondition).
func TestE2EEvictRefusesRecreatedPod(t *testing.T) {
	t.Parallel()
	e := newEvictTestEnv(t)
	ctx := context.Background()
	old := e.statefulSet("db", "example.com/db:1")
	e.settle(old.Name)
	plan := NewPlan(e.snapshot(), []rules.Finding{evictTestModified(old)}, Options{})
	if len(plan.Evict) != 1 {
		t.Fatalf("plan %+v, want db-0 evicted", plan)
	}

	zero := int64(0)
	if err := e.c.CoreV1().Pods(e.ns).Delete(ctx, old.Name, metav1.DeleteOptions{GracePeriodSeconds: &zero}); err != nil {
		t.Fatalf("delete %s: %v", old.Name, err)
	}
	var recreated *corev1.Pod
	evictTestWait(t, old.Name+" recreated", func() bool {
		p, err := e.c.CoreV1().Pods(e.ns).Get(ctx, old.Name, metav1.GetOptions{})
		if err == nil && p.UID != old.UID && p.Status.Phase == corev1.PodRunning {
			recreated = p
			return true
		}
		return false
	})
	e.settle(old.Name)

	got := Run(ctx, e.c, plan, evictTestOptions, &bytes.Buffer{})
	if len(got) != 1 || got[0].Result != Skipped || got[0].Detail != "changed since checked" || !apierrors.IsConflict(got[0].Err) {
		t.Fatalf("outcomes %+v, want skipped: changed since checked (409)", got)
	}
	evictTestUntouched(t, e.c, *recreated)

	// The same pod, changed after the decision: refused as well.
	plan = NewPlan(e.snapshot(), []rules.Finding{evictTestModified(*recreated)}, Options{})
	patch := `{"metadata":{"labels":{"touched":"yes"}}}`
	changed, err := e.c.CoreV1().Pods(e.ns).Patch(ctx, old.Name, types.StrategicMergePatchType, []byte(patch), metav1.PatchOptions{})
	if err != nil {
		t.Fatalf("patch: %v", err)
	}
	got = Run(ctx, e.c, plan, evictTestOptions, &bytes.Buffer{})
	if len(got) != 1 || got[0].Result != Skipped || !apierrors.IsConflict(got[0].Err) {
		t.Fatalf("outcomes %+v, want skipped: changed since checked (409)", got)
	}
	evictTestUntouched(t, e.c, *changed)
}

// evictTestUntouched fails unless pod still exists with its UID and is
// not being deleted.
func evictTestUntouched(t *testing.T, c kubernetes.Interface, pod corev1.Pod) {
	t.Helper()
	p, err := c.CoreV1().Pods(pod.Namespace).Get(context.Background(), pod.Name, metav1.GetOptions{})
	switch {
	case err != nil:
		t.Errorf("pod %s/%s: %v", pod.Namespace, pod.Name, err)
	case p.UID != pod.UID:
		t.Errorf("pod %s/%s was replaced (UID %s, was %s)", pod.Namespace, pod.Name, p.UID, pod.UID)
	case p.DeletionTimestamp != nil:
		t.Errorf("pod %s/%s is being deleted", pod.Namespace, pod.Name)
	}
}

// TestE2EEvictLeavesUnreplaceablePods flags a naked pod, a pod in
// kube-system (one the test reads from the real kube-system, or, when
// there is none, one it makes up) and, in a dry run, a replaceable pod:
// nothing is evicted and every pod keeps its UID.
func TestE2EEvictLeavesUnreplaceablePods(t *testing.T) {
	t.Parallel()
	e := newEvictTestEnv(t)
	ctx := context.Background()
	naked := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "naked"}, Spec: e.podSpec(nil, "example.com/web:1").Spec}
	naked, err := e.c.CoreV1().Pods(e.ns).Create(ctx, naked, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("create naked pod: %v", err)
	}
	managed := e.deployment("web", 1, "example.com/web:1")[0]
	e.setImage(naked.Name, "example.com/web:2")
	e.setImage(managed.Name, "example.com/web:2")

	system, err := e.c.CoreV1().Pods(metav1.NamespaceSystem).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatalf("list kube-system pods: %v", err)
	}
	made := evictTestPod(metav1.NamespaceSystem, "made-up-"+kubetest.Suffix(), evictTestOwner("ReplicaSet", "dns"), "")
	systemPods := append(system.Items, made)
	findings := []rules.Finding{evictTestModified(*naked), evictTestModified(managed)}
	for _, p := range systemPods {
		findings = append(findings, evictTestModified(p))
	}
	s := e.snapshot(systemPods...)

	// A dry run prints the plan; nothing calls Evict.
	plan := NewPlan(s, findings, Options{})
	var out bytes.Buffer
	if err := WritePlan(&out, plan); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"evict pod " + e.ns + "/" + managed.Name,
		"skip pod " + e.ns + "/naked: cannot replace: no controller",
		"skip pod kube-system/" + made.Name + " (ReplicaSet dns): in kube-system",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("plan lacks %q:\n%s", want, out.String())
		}
	}
	if len(plan.Evict) != 1 {
		t.Fatalf("plan evicts %d pods, want only %s", len(plan.Evict), managed.Name)
	}
	time.Sleep(time.Second)
	evictTestUntouched(t, e.c, managed)

	// A real run on the other findings: nothing to evict.
	others := append([]rules.Finding{findings[0]}, findings[2:]...)
	plan = NewPlan(s, others, Options{})
	if len(plan.Evict) != 0 || len(plan.Skipped) != len(others) {
		t.Fatalf("plan %+v, want every pod skipped", plan)
	}
	if got := Run(ctx, e.c, plan, evictTestOptions, &bytes.Buffer{}); len(got) != 0 {
		t.Errorf("evicted %+v, want nothing", got)
	}
	evictTestUntouched(t, e.c, *naked)
	for _, p := range system.Items {
		evictTestUntouched(t, e.c, p)
	}
}
