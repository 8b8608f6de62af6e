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

	"github.com/google/go-cmp/cmp"

	"github.com/immutcheck/immutcheck/internal/kubetest"
	"github.com/immutcheck/immutcheck/rules"
)

// TestE2ELiveRules produces each condition of the live rules on the real
// control plane, the way it happens in a cluster, and checks that Check
// reports exactly the drifted objects and none of the clean controls:
//
//   - Deployment "skew": pinned by digest; the test plays the kubelet and
//     gives one of its three pods another digest (running-digest-mismatch
//     on that pod, replica-digest-skew on the ReplicaSet);
//   - Deployment "patched": one pod's image patched as `kubectl set image
//     pod/...` does (pod-modified-in-place);
//   - Deployment "debugged": an ephemeral container added through the
//     ephemeralcontainers subresource (ephemeral-container);
//   - DaemonSet "agent" with the OnDelete strategy whose template changed:
//     the DaemonSet controller writes a second ControllerRevision, one pod
//     is recreated on it and the others stay on the first, which is not
//     drift; two pods of the first revision run different digests
//     (replica-digest-skew for that revision only);
//   - StatefulSet "db", OnDelete, template changed, one pod recreated and
//     another pod's image patched to the new revision's image
//     (pod-modified-in-place naming the revision it runs);
//   - Job "batch" pinned by digest, its pod on another digest
//     (running-digest-mismatch; never instance-too-old);
//   - three nodes of one pool, one with another kernel (node-image-skew);
//   - clean controls: Deployment "clean" with matching digests, a naked
//     pod, a pending pod with no status, a terminating pod held by a
//     finalizer that was patched and debugged;
//   - then every running pod but the Job's is older than a MaxAge of 1s
//     (instance-too-old).
func TestE2ELiveRules(t *testing.T) {
	t.Parallel()
	c := kubetest.Env(t)
	e := &rulesTestEnv{t: t, kc: c, c: c.Client, ns: c.Namespace(t, "rules"), suffix: kubetest.Suffix()}
	e.testLabel = map[string]string{"e2e.immutcheck.dev/rules": e.suffix}
	poolKey := "e2e.immutcheck.dev/pool"
	pool := "rules-" + e.suffix
	info := corev1.NodeSystemInfo{OSImage: "Debian GNU/Linux 12", KernelVersion: "6.1.0-28-amd64",
		ContainerRuntimeVersion: "containerd://1.7.24", KubeletVersion: "v1.31.4", OperatingSystem: "linux", Architecture: "amd64"}
	odd := info
	odd.KernelVersion = "6.1.0-13-amd64"
	var nodes []string
	for i, ni := range []corev1.NodeSystemInfo{info, odd, info} {
		name := fmt.Sprintf("rules-%s-%d", e.suffix, i)
		c.Node(t, name, map[string]string{"e2e.immutcheck.dev/rules": e.suffix, poolKey: pool}, ni)
		nodes = append(nodes, name)
	}

	// Deployments.
	skew := e.deployment("skew", 3, "reg.example/web@"+digestA)
	clean := e.deployment("clean", 2, "reg.example/web@"+digestA)
	patched := e.deployment("patched", 2, "reg.example/app:1")
	debugged := e.deployment("debugged", 1, "reg.example/app:1")
	e.setIDs(skew[0], "reg.example/web@"+digestA)
	e.setIDs(skew[1], "docker-pullable://reg.example/web@"+digestA)
	e.setIDs(skew[2], "reg.example/web@"+digestB)
	e.setIDs(clean[0], "reg.example/web@"+digestA)
	e.setIDs(clean[1], "docker.io/reg/web@"+digestA)
	e.patchImage(patched[0], "reg.example/app:2")
	e.debug(debugged[0])

	// OnDelete DaemonSet: revision 1 on three nodes, then revision 2
	// for one recreated pod.
	agent1 := e.daemonSet("reg.example/agent:1")
	e.updateDaemonSet("reg.example/agent:2")
	e.deletePod(agent1[0])
	agents := e.pods("app=agent", 3)
	var rev1, rev2 []corev1.Pod
	for _, p := range agents {
		if p.Name == agent1[0] {
			t.Fatalf("DaemonSet pod %s was not recreated", p.Name)
		}
		if p.Spec.Containers[0].Image == "reg.example/agent:2" {
			rev2 = append(rev2, p)
		} else {
			rev1 = append(rev1, p)
		}
	}
	if len(rev1) != 2 || len(rev2) != 1 {
		t.Fatalf("DaemonSet pods: %d on revision 1, %d on revision 2", len(rev1), len(rev2))
	}
	e.setIDs(rev1[0].Name, "reg.example/agent@"+digestA)
	e.setIDs(rev1[1].Name, "reg.example/agent@"+digestC)
	e.setIDs(rev2[0].Name, "reg.example/agent@"+digestB)
	agentRevision := "agent-" + rev1[0].Labels[labelRevisionHash]

	// OnDelete StatefulSet: db-1 recreated on revision 2, db-0 left on
	// revision 1 and its image patched to revision 2's.
	e.statefulSet("reg.example/db:1")
	e.updateStatefulSet("reg.example/db:2")
	e.deletePod("db-1")
	db := e.pods("app=db", 2)
	if got := db[1].Spec.Containers[0].Image; db[1].Name != "db-1" || got != "reg.example/db:2" {
		t.Fatalf("db-1 recreated with %s", got)
	}
	dbRev2 := db[1].Labels[labelRevisionHash]
	e.patchImage("db-0", "reg.example/db:2")

	// Job.
	batch := e.job("reg.example/job@" + digestA)
	e.setIDs(batch, "reg.example/job@"+digestB)

	// Clean controls.
	e.nakedPod("naked", e.testLabel, false)
	e.nakedPod("pending", map[string]string{"e2e.immutcheck.dev/nowhere": e.suffix}, false)
	leaving := e.nakedPod("leaving", e.testLabel, true)
	e.patchImage(leaving, "reg.example/app:9")
	e.debug(leaving)
	e.deleteHeld(leaving)

	s := rulesTestList(t, e.c, e.ns)
	o := CheckOptions{PoolLabels: []string{poolKey}}
	pod := func(name, rest string) string { return "Pod/" + e.ns + "/" + name + rest }
	want := []string{
		"running-digest-mismatch " + pod(skew[2], " container app"),
		"replica-digest-skew ReplicaSet/" + e.ns + "/" + e.replicaSetOf(skew[0]) + " container app",
		"pod-modified-in-place " + pod(patched[0], " container app"),
		"ephemeral-container " + pod(debugged[0], " ephemeralContainer debugger"),
		"replica-digest-skew DaemonSet/" + e.ns + "/agent revision " + agentRevision + " container app",
		"pod-modified-in-place " + pod("db-0", " container app"),
		"running-digest-mismatch " + pod(batch, " container app"),
		"node-image-skew node pool " + poolKey + "=" + pool + " kernelVersion",
	}
	got := e.mine(Check(s, o), nodes)
	if diff := cmp.Diff(sorted(want), sorted(keys(got))); diff != "" {
		t.Errorf("findings (-want +got):\n%s\n%s", diff, dump(got))
	}
	for _, f := range got {
		switch {
		case f.Rule == rules.PodModifiedInPlace && strings.Contains(f.Subject, "db-0"):
			if !strings.Contains(f.Message, "ControllerRevision db-"+strings.TrimPrefix(dbRev2, "db-")) {
				t.Errorf("db-0: message does not name revision %s it runs: %s", dbRev2, f.Message)
			}
		case f.Rule == rules.ReplicaDigestSkew && strings.HasPrefix(f.Subject, "DaemonSet/"):
			if strings.Contains(f.Message, rev2[0].Name) || !strings.Contains(f.Message, "2 pods") {
				t.Errorf("DaemonSet skew mixes revisions: %s", f.Message)
			}
		case f.Rule == rules.NodeImageSkew:
			if f.Location.File != "cluster/node/"+nodes[1] || f.Object == nil || f.Object.Kind != "Node" {
				t.Errorf("node-image-skew at %s (%+v), want the odd node %s", f.Location.File, f.Object, nodes[1])
			}
		}
		if f.Object == nil || f.Object.UID == "" {
			t.Errorf("%s %s: object %+v", f.Rule.ID, f.Subject, f.Object)
		}
	}

	// Every running pod but the Job's is older than a second by now.
	time.Sleep(1100 * time.Millisecond)
	o.MaxAge = time.Second
	s = rulesTestList(t, e.c, e.ns)
	var wantOld []string
	for _, p := range s.Pods {
		if p.Status.Phase == corev1.PodRunning && p.DeletionTimestamp == nil && p.Name != batch {
			wantOld = append(wantOld, "instance-too-old "+pod(p.Name, ""))
		}
	}
	if len(wantOld) != 3+2+2+1+3+2+1 {
		t.Errorf("%d running pods, want 14: %v", len(wantOld), wantOld)
	}
	var old []rules.Finding
	for _, f := range e.mine(Check(s, o), nodes) {
		if f.Rule == rules.InstanceTooOld {
			old = append(old, f)
		}
	}
	if diff := cmp.Diff(sorted(wantOld), sorted(keys(old))); diff != "" {
		t.Errorf("instance-too-old (-want +got):\n%s", diff)
	}
}

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

// job creates a Job with one pod and returns the pod's name once it runs.
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
	return e.pods("app=batch", 1)[0].Name
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

// rulesTestList reads a snapshot of namespace ns (and every node) for the
// end-to-end test, independently of the audit's lister.
func rulesTestList(t *testing.T, c kubernetes.Interface, ns string) *Snapshot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	o := metav1.ListOptions{}
	s := &Snapshot{Started: time.Now()}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("list: %v", err)
		}
	}
	pods, err := c.CoreV1().Pods(ns).List(ctx, o)
	must(err)
	rs, err := c.AppsV1().ReplicaSets(ns).List(ctx, o)
	must(err)
	deps, err := c.AppsV1().Deployments(ns).List(ctx, o)
	must(err)
	sts, err := c.AppsV1().StatefulSets(ns).List(ctx, o)
	must(err)
	ds, err := c.AppsV1().DaemonSets(ns).List(ctx, o)
	must(err)
	jobs, err := c.BatchV1().Jobs(ns).List(ctx, o)
	must(err)
	crs, err := c.AppsV1().ControllerRevisions(ns).List(ctx, o)
	must(err)
	nodes, err := c.CoreV1().Nodes().List(ctx, o)
	must(err)
	s.Pods, s.ReplicaSets, s.Deployments, s.StatefulSets = pods.Items, rs.Items, deps.Items, sts.Items
	s.DaemonSets, s.Jobs, s.ControllerRevisions, s.Nodes = ds.Items, jobs.Items, crs.Items, nodes.Items
	return s
}

func keys(fs []rules.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Rule.ID + " " + f.Subject
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
