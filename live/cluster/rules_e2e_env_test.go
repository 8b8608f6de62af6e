package cluster

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/immutcheck/immutcheck/internal/kubetest"
	"github.com/immutcheck/immutcheck/rules"
)

// rulesTestEnv builds the objects of TestE2ELiveRules in one namespace.
type rulesTestEnv struct {
	t         *testing.T
	kc        *kubetest.Cluster
	c         kubernetes.Interface
	ns        string
	suffix    string
	testLabel map[string]string // the label of the test's nodes
}

const rulesTestTimeout = 3 * time.Minute

func (e *rulesTestEnv) podSpec(image string) corev1.PodSpec {
	zero := int64(0)
	return corev1.PodSpec{
		Containers:                    []corev1.Container{{Name: "app", Image: image}},
		NodeSelector:                  e.testLabel,
		TerminationGracePeriodSeconds: &zero,
	}
}

func rulesTestTemplate(app string, spec corev1.PodSpec) corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": app}}, Spec: spec}
}

// deployment creates a Deployment and returns the names of its running
// pods.
func (e *rulesTestEnv) deployment(name string, replicas int32, image string) []string {
	e.t.Helper()
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: appsv1.DeploymentSpec{
		Replicas: &replicas,
		Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": name}},
		Template: rulesTestTemplate(name, e.podSpec(image)),
	}}
	if _, err := e.c.AppsV1().Deployments(e.ns).Create(context.Background(), d, metav1.CreateOptions{}); err != nil {
		e.t.Fatalf("create deployment %s: %v", name, err)
	}
	var names []string
	for _, p := range e.pods("app="+name, int(replicas)) {
		names = append(names, p.Name)
	}
	return names
}

// pods waits for n running pods matching selector, sorted by name.
func (e *rulesTestEnv) pods(selector string, n int) []corev1.Pod {
	e.t.Helper()
	deadline := time.Now().Add(rulesTestTimeout)
	for {
		l, err := e.c.CoreV1().Pods(e.ns).List(context.Background(), metav1.ListOptions{LabelSelector: selector})
		if err != nil {
			e.t.Fatalf("list pods: %v", err)
		}
		var running []corev1.Pod
		for _, p := range l.Items {
			if p.Status.Phase == corev1.PodRunning && p.DeletionTimestamp == nil {
				running = append(running, p)
			}
		}
		if len(running) == n && len(l.Items) == n {
			slices.SortFunc(running, func(a, b corev1.Pod) int { return strings.Compare(a.Name, b.Name) })
			return running
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("pods %q: %d of %d running (%d in all)", selector, len(running), n, len(l.Items))
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func (e *rulesTestEnv) setIDs(pod, id string) {
	e.t.Helper()
	e.kc.SetImageIDs(e.t, e.ns, pod, map[string]string{"app": id})
}

// patchImage changes a live pod's image as `kubectl set image pod/NAME
// app=IMAGE` does: a strategic merge patch of spec.containers.
func (e *rulesTestEnv) patchImage(pod, image string) {
	e.t.Helper()
	patch := fmt.Sprintf(`{"spec":{"containers":[{"name":"app","image":%q}]}}`, image)
	if _, err := e.c.CoreV1().Pods(e.ns).Patch(context.Background(), pod, types.StrategicMergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
		e.t.Fatalf("set image pod/%s: %v", pod, err)
	}
}

// debug adds an ephemeral container as `kubectl debug -it POD
// --image=busybox:1.36 --target=app` does.
func (e *rulesTestEnv) debug(pod string) {
	e.t.Helper()
	ctx := context.Background()
	p, err := e.c.CoreV1().Pods(e.ns).Get(ctx, pod, metav1.GetOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	p.Spec.EphemeralContainers = append(p.Spec.EphemeralContainers, corev1.EphemeralContainer{
		TargetContainerName:      "app",
		EphemeralContainerCommon: corev1.EphemeralContainerCommon{Name: "debugger", Image: "busybox:1.36", Stdin: true, TTY: true},
	})
	if _, err := e.c.CoreV1().Pods(e.ns).UpdateEphemeralContainers(ctx, pod, p, metav1.UpdateOptions{}); err != nil {
		e.t.Fatalf("add ephemeral container to %s: %v", pod, err)
	}
}

func (e *rulesTestEnv) deletePod(pod string) {
	e.t.Helper()
	zero := int64(0)
	if err := e.c.CoreV1().Pods(e.ns).Delete(context.Background(), pod, metav1.DeleteOptions{GracePeriodSeconds: &zero}); err != nil {
		e.t.Fatalf("delete pod %s: %v", pod, err)
	}
}

func (e *rulesTestEnv) daemonSet(image string) []string {
	e.t.Helper()
	ds := &appsv1.DaemonSet{ObjectMeta: metav1.ObjectMeta{Name: "agent"}, Spec: appsv1.DaemonSetSpec{
		Selector:       &metav1.LabelSelector{MatchLabels: map[string]string{"app": "agent"}},
		Template:       rulesTestTemplate("agent", e.podSpec(image)),
		UpdateStrategy: appsv1.DaemonSetUpdateStrategy{Type: appsv1.OnDeleteDaemonSetStrategyType},
	}}
	if _, err := e.c.AppsV1().DaemonSets(e.ns).Create(context.Background(), ds, metav1.CreateOptions{}); err != nil {
		e.t.Fatalf("create daemonset: %v", err)
	}
	var names []string
	for _, p := range e.pods("app=agent", 3) {
		names = append(names, p.Name)
	}
	return names
}

// updateDaemonSet changes the DaemonSet's image and waits for the
// controller to record the second revision.
func (e *rulesTestEnv) updateDaemonSet(image string) {
	e.t.Helper()
	patch := fmt.Sprintf(`{"spec":{"template":{"spec":{"containers":[{"name":"app","image":%q}]}}}}`, image)
	if _, err := e.c.AppsV1().DaemonSets(e.ns).Patch(context.Background(), "agent", types.StrategicMergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
		e.t.Fatalf("patch daemonset: %v", err)
	}
	e.waitRevisions("agent", 2)
}

func (e *rulesTestEnv) statefulSet(image string) {
	e.t.Helper()
	replicas := int32(2)
	ss := &appsv1.StatefulSet{ObjectMeta: metav1.ObjectMeta{Name: "db"}, Spec: appsv1.StatefulSetSpec{
		Replicas:       &replicas,
		ServiceName:    "db",
		Selector:       &metav1.LabelSelector{MatchLabels: map[string]string{"app": "db"}},
		Template:       rulesTestTemplate("db", e.podSpec(image)),
		UpdateStrategy: appsv1.StatefulSetUpdateStrategy{Type: appsv1.OnDeleteStatefulSetStrategyType},
		// Both pods at once, not one after the other.
		PodManagementPolicy: appsv1.ParallelPodManagement,
	}}
	if _, err := e.c.AppsV1().StatefulSets(e.ns).Create(context.Background(), ss, metav1.CreateOptions{}); err != nil {
		e.t.Fatalf("create statefulset: %v", err)
	}
	e.pods("app=db", 2)
}

func (e *rulesTestEnv) updateStatefulSet(image string) {
	e.t.Helper()
	patch := fmt.Sprintf(`{"spec":{"template":{"spec":{"containers":[{"name":"app","image":%q}]}}}}`, image)
	if _, err := e.c.AppsV1().StatefulSets(e.ns).Patch(context.Background(), "db", types.StrategicMergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
		e.t.Fatalf("patch statefulset: %v", err)
	}
	e.waitRevisions("db", 2)
}

// waitRevisions waits until the controller named owner has n
// ControllerRevisions.
func (e *rulesTestEnv) waitRevisions(owner string, n int) {
	e.t.Helper()
	deadline := time.Now().Add(rulesTestTimeout)
	for {
		l, err := e.c.AppsV1().ControllerRevisions(e.ns).List(context.Background(), metav1.ListOptions{})
		if err != nil {
			e.t.Fatal(err)
		}
		count := 0
		for _, cr := range l.Items {
			if c := metav1.GetControllerOf(&cr); c != nil && c.Name == owner {
				count++
			}
		}
		if count == n {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%s: %d controller revisions, want %d", owner, count, n)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// job creates a Job with one pod and returns the pod's name once it has
// succeeded (kwok completes Job pods).
func (e *rulesTestEnv) job(image string) string {
	e.t.Helper()
	spec := e.podSpec(image)
	spec.RestartPolicy = corev1.RestartPolicyNever
	j := &batchv1.Job{ObjectMeta: metav1.ObjectMeta{Name: "batch"}, Spec: batchv1.JobSpec{
		Template: rulesTestTemplate("batch", spec),
	}}
	if _, err := e.c.BatchV1().Jobs(e.ns).Create(context.Background(), j, metav1.CreateOptions{}); err != nil {
		e.t.Fatalf("create job: %v", err)
	}
	deadline := time.Now().Add(rulesTestTimeout)
	for {
		l, err := e.c.CoreV1().Pods(e.ns).List(context.Background(), metav1.ListOptions{LabelSelector: "app=batch"})
		if err != nil {
			e.t.Fatal(err)
		}
		if len(l.Items) == 1 && l.Items[0].Status.Phase == corev1.PodSucceeded {
			return l.Items[0].Name
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("job pod did not succeed: %d pods", len(l.Items))
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// nakedPod creates a pod with no controller; held adds a finalizer that
// keeps it when deleted (removed when the test ends). A pod whose
// nodeSelector matches no node stays Pending, with no status.
func (e *rulesTestEnv) nakedPod(name string, selector map[string]string, held bool) string {
	e.t.Helper()
	spec := e.podSpec("reg.example/app:1")
	spec.NodeSelector = selector
	p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"app": name}}, Spec: spec}
	if held {
		p.Finalizers = []string{"e2e.immutcheck.dev/hold"}
		e.t.Cleanup(func() {
			patch := `{"metadata":{"finalizers":null}}`
			_, _ = e.c.CoreV1().Pods(e.ns).Patch(context.Background(), name, types.MergePatchType, []byte(patch), metav1.PatchOptions{})
		})
	}
	if _, err := e.c.CoreV1().Pods(e.ns).Create(context.Background(), p, metav1.CreateOptions{}); err != nil {
		e.t.Fatalf("create pod %s: %v", name, err)
	}
	if _, ok := selector["e2e.immutcheck.dev/nowhere"]; !ok {
		e.pods("app="+name, 1)
	}
	return name
}

// deleteHeld deletes a pod held by a finalizer and waits until it is
// terminating.
func (e *rulesTestEnv) deleteHeld(pod string) {
	e.t.Helper()
	if err := e.c.CoreV1().Pods(e.ns).Delete(context.Background(), pod, metav1.DeleteOptions{}); err != nil {
		e.t.Fatalf("delete pod %s: %v", pod, err)
	}
	p, err := e.c.CoreV1().Pods(e.ns).Get(context.Background(), pod, metav1.GetOptions{})
	if err != nil || p.DeletionTimestamp == nil {
		e.t.Fatalf("pod %s is not terminating: %v", pod, err)
	}
}

// replicaSetOf returns the name of the ReplicaSet that controls pod.
func (e *rulesTestEnv) replicaSetOf(pod string) string {
	e.t.Helper()
	p, err := e.c.CoreV1().Pods(e.ns).Get(context.Background(), pod, metav1.GetOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	c := metav1.GetControllerOf(p)
	if c == nil || c.Kind != "ReplicaSet" {
		e.t.Fatalf("pod %s has controller %+v", pod, c)
	}
	return c.Name
}

// mine keeps the findings about the test's namespace and nodes: the
// shared control plane runs other tests at the same time.
func (e *rulesTestEnv) mine(fs []rules.Finding, nodes []string) []rules.Finding {
	var out []rules.Finding
	for _, f := range fs {
		if strings.HasPrefix(f.Location.File, "cluster/"+e.ns+"/") ||
			slices.Contains(nodes, strings.TrimPrefix(f.Location.File, "cluster/node/")) {
			out = append(out, f)
		}
	}
	return out
}
