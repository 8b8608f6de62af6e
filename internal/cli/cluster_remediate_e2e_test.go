package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/immutcheck/immutcheck/internal/kubetest"
	"github.com/immutcheck/immutcheck/live/cluster"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// TestE2ERemediate runs remediate on the shared control plane against a
// Deployment pod whose image was patched in place: a dry run prints the
// plan and changes nothing; a user with only the documented permissions
// (read, plus create on pods/eviction; no delete) evicts it and the
// ReplicaSet replaces it; without the pods/eviction rule the eviction is
// forbidden and the run exits 3.
func TestE2ERemediate(t *testing.T) {
	t.Parallel()
	kc := kubetest.Env(t)
	ctx := context.Background()
	suffix := kubetest.Suffix()
	nodeSel := map[string]string{"e2e.immutcheck.dev/remediate": suffix}
	kc.Node(t, "remediate-"+suffix, nodeSel, corev1.NodeSystemInfo{})
	ns := kc.Namespace(t, "remediate")
	c := kc.Client

	one := int32(1)
	labels := map[string]string{"app": "web"}
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: appsv1.DeploymentSpec{Replicas: &one, Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: corev1.PodSpec{
				NodeSelector: nodeSel, Containers: []corev1.Container{{Name: "app", Image: "example.com/web:1"}}}}},
	}
	if _, err := c.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create deployment: %v", err)
	}
	pod := kc.WaitPods(t, ns, "app=web", 1, 90*time.Second)[0]
	patch := []byte(`{"spec":{"containers":[{"name":"app","image":"example.com/web:2"}]}}`)
	if _, err := c.CoreV1().Pods(ns).Patch(ctx, pod.Name, types.StrategicMergePatchType, patch, metav1.PatchOptions{}); err != nil {
		t.Fatalf("patch pod: %v", err)
	}
	time.Sleep(2 * time.Second) // let kwok write the status it writes
	s, drifted := remediateTestSnapshot(t, c, ns, pod.Name)
	findings := []rules.Finding{{Rule: rules.PodModifiedInPlace, Severity: rules.PodModifiedInPlace.Severity,
		Object: &model.ObjectRef{Kind: "Pod", Namespace: ns, Name: drifted.Name, UID: string(drifted.UID)}}}

	// Dry run: the plan, and nothing changes.
	var out bytes.Buffer
	err := remediate(ctx, c, s, findings, remediateTestFlags(t, "--remediate", "--dry-run"), &out)
	if err != nil || !strings.Contains(out.String(), "evict pod "+ns+"/"+pod.Name+" (ReplicaSet ") {
		t.Fatalf("dry run: %v\n%s", err, out.String())
	}
	time.Sleep(time.Second)
	if _, now := remediateTestSnapshot(t, c, ns, pod.Name); now.UID != drifted.UID || now.ResourceVersion != drifted.ResourceVersion || now.DeletionTimestamp != nil {
		t.Fatalf("dry run changed the pod: resourceVersion %s -> %s", drifted.ResourceVersion, now.ResourceVersion)
	}

	// Without create on pods/eviction: forbidden, exit 3, pod untouched.
	readOnly := remediateTestUser(t, kc, ns, "reader-"+suffix, false)
	out.Reset()
	err = remediate(ctx, readOnly, s, findings, remediateTestFlags(t, "--remediate"), &out)
	if code := exitCode(err, &bytes.Buffer{}); code != ExitCouldNotCheck || !strings.Contains(out.String(), "forbidden") {
		t.Fatalf("read-only user: exit %d (%v)\n%s", code, err, out.String())
	}

	// With it (and no delete): evicted and replaced from the template.
	remediator := remediateTestUser(t, kc, ns, "remediator-"+suffix, true)
	out.Reset()
	err = remediate(ctx, remediator, s, findings, remediateTestFlags(t, "--remediate"), &out)
	if err != nil || !strings.Contains(out.String(), "evicted pod "+ns+"/"+pod.Name) {
		t.Fatalf("remediate: %v\n%s", err, out.String())
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		l, err := c.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app=web"})
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Items) == 1 && l.Items[0].UID != pod.UID && l.Items[0].Status.Phase == corev1.PodRunning {
			if img := l.Items[0].Spec.Containers[0].Image; img != "example.com/web:1" {
				t.Fatalf("replacement runs %s, want the template's image", img)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no replacement: %d pods", len(l.Items))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// remediateTestSnapshot reads the namespace's pods and ReplicaSets, and
// returns the named pod too.
func remediateTestSnapshot(t *testing.T, c kubernetes.Interface, ns, name string) (*cluster.Snapshot, corev1.Pod) {
	t.Helper()
	ctx := context.Background()
	pods, err := c.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatalf("list pods: %v", err)
	}
	rss, err := c.AppsV1().ReplicaSets(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatalf("list replicasets: %v", err)
	}
	for _, p := range pods.Items {
		if p.Name == name {
			return &cluster.Snapshot{Pods: pods.Items, ReplicaSets: rss.Items}, p
		}
	}
	t.Fatalf("pod %s not found", name)
	return nil, corev1.Pod{}
}

// remediateTestUser returns a client acting as user, bound in ns to a Role
// that reads pods and ReplicaSets and, when evict is set, may create
// pods/eviction: the permissions docs/cluster-remediation.md documents.
func remediateTestUser(t *testing.T, kc *kubetest.Cluster, ns, user string, evict bool) kubernetes.Interface {
	t.Helper()
	ctx := context.Background()
	role := &rbacv1.Role{
		ObjectMeta: metav1.ObjectMeta{Name: user},
		Rules: []rbacv1.PolicyRule{
			{APIGroups: []string{""}, Resources: []string{"pods"}, Verbs: []string{"get", "list", "watch"}},
			{APIGroups: []string{"apps"}, Resources: []string{"replicasets"}, Verbs: []string{"get", "list", "watch"}},
		},
	}
	if evict {
		role.Rules = append(role.Rules, rbacv1.PolicyRule{APIGroups: []string{""}, Resources: []string{"pods/eviction"}, Verbs: []string{"create"}})
	}
	if _, err := kc.Client.RbacV1().Roles(ns).Create(ctx, role, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create role: %v", err)
	}
	rb := &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: user},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: user},
		Subjects:   []rbacv1.Subject{{APIGroup: rbacv1.GroupName, Kind: rbacv1.UserKind, Name: user}},
	}
	if _, err := kc.Client.RbacV1().RoleBindings(ns).Create(ctx, rb, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create rolebinding: %v", err)
	}
	cfg := rest.CopyConfig(kc.Config)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: user}
	c, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
