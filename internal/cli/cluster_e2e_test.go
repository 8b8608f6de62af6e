package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	authv1 "k8s.io/api/authentication/v1"
	authzv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/immutcheck/immutcheck/internal/kubetest"
)

// clusterReport is the part of the JSON report the cluster tests read.
type clusterReport struct {
	Findings []struct {
		Rule     string `json:"rule"`
		Subject  string `json:"subject"`
		Location struct {
			File string `json:"file"`
		} `json:"location"`
	} `json:"findings"`
	Summary struct {
		Files int `json:"files"`
	} `json:"summary"`
}

// runClusterJSON runs `immutcheck cluster --format json` with args and
// decodes the report (empty when none was written).
func runClusterJSON(t *testing.T, args ...string) (int, clusterReport, string) {
	t.Helper()
	// An empty config keeps any .immutcheck.yaml above the test out.
	cfg := writeFile(t, t.TempDir(), ".immutcheck.yaml", "")
	code, stdout, stderr := run(t, "", append([]string{"cluster", "--format", "json", "--config", cfg}, args...)...)
	var r clusterReport
	if stdout != "" {
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatalf("report: %v\n%s", err, stdout)
		}
	}
	return code, r, stderr
}

// count is the number of findings of a rule, and their subjects.
func (r clusterReport) count(rule string) (int, []string) {
	var subjects []string
	for _, f := range r.Findings {
		if f.Rule == rule {
			subjects = append(subjects, f.Subject)
		}
	}
	return len(subjects), subjects
}

// nakedPods creates n naked pods with an unpinned image in ns; they stay
// Pending (no node matches), which the audit does not mind.
func nakedPods(t *testing.T, kc *kubetest.Cluster, ns string, n int) {
	t.Helper()
	for i := range n {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("naked-%02d", i)},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "nginx:1.27"}},
				NodeSelector: map[string]string{"e2e.immutcheck.dev/nowhere": "yes"}}}
		if _, err := kc.Client.CoreV1().Pods(ns).Create(context.Background(), p, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestE2ECluster runs the command on the real control plane: pages are
// small, so every collection takes several requests, and every naked pod
// is reported.
func TestE2ECluster(t *testing.T) {
	t.Parallel()
	kc := kubetest.Env(t)
	ns := kc.Namespace(t, "cli")
	nakedPods(t, kc, ns, 7)
	code, r, stderr := runClusterJSON(t, "--kubeconfig", kc.Kubeconfig, "-n", ns, "--chunk-size", "2")
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d; stderr: %s", code, ExitFindings, stderr)
	}
	if n, _ := r.count("unmanaged-instance"); n != 7 {
		t.Errorf("%d unmanaged-instance findings, want 7", n)
	}
	if n, _ := r.count("image-not-pinned"); n != 7 {
		t.Errorf("%d image-not-pinned findings, want 7", n)
	}
	for _, f := range r.Findings {
		if !strings.HasPrefix(f.Location.File, "cluster/"+ns+"/pod/naked-") && f.Rule != "node-image-skew" {
			t.Errorf("finding outside the namespace: %+v", f)
		}
	}
	if r.Summary.Files < 7 {
		t.Errorf("%d objects checked, want at least the 7 pods", r.Summary.Files)
	}
	// The selector is applied by the server.
	if _, err := kc.Client.CoreV1().Pods(ns).Patch(context.Background(), "naked-03", "application/merge-patch+json",
		[]byte(`{"metadata":{"labels":{"pick":"me"}}}`), metav1.PatchOptions{}); err != nil {
		t.Fatal(err)
	}
	_, r, stderr = runClusterJSON(t, "--kubeconfig", kc.Kubeconfig, "-n", ns, "-l", "pick=me")
	if n, subjects := r.count("unmanaged-instance"); n != 1 || !strings.Contains(subjects[0], "naked-03") {
		t.Errorf("-l pick=me: unmanaged-instance on %v; stderr: %s", subjects, stderr)
	}
}

// auditRole reads the ClusterRole that docs/cluster.md documents.
func auditRole(t *testing.T) *rbacv1.ClusterRole {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "docs", "cluster.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(data, -1) {
		var role rbacv1.ClusterRole
		if yaml.UnmarshalStrict(m[1], &role) == nil && role.Kind == "ClusterRole" && role.Name == "immutcheck-audit" {
			return &role
		}
	}
	t.Fatal("docs/cluster.md: no ClusterRole immutcheck-audit")
	return nil
}

// auditAs creates a ServiceAccount in ns bound to role (renamed to be
// unique), and returns a kubeconfig that authenticates as it with a token
// from the TokenRequest API.
func auditAs(t *testing.T, kc *kubetest.Cluster, ns, name string, role *rbacv1.ClusterRole) string {
	t.Helper()
	ctx := context.Background()
	c := kc.Client
	role = role.DeepCopy()
	role.Name = "immutcheck-e2e-" + name + "-" + kubetest.Suffix()
	if _, err := c.CoreV1().ServiceAccounts(ns).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RbacV1().ClusterRoles().Create(ctx, role, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.RbacV1().ClusterRoles().Delete(context.Background(), role.Name, metav1.DeleteOptions{}) })
	b := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: role.Name},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: role.Name},
		Subjects:   []rbacv1.Subject{{Kind: "ServiceAccount", Namespace: ns, Name: name}},
	}
	if _, err := c.RbacV1().ClusterRoleBindings().Create(ctx, b, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = c.RbacV1().ClusterRoleBindings().Delete(context.Background(), b.Name, metav1.DeleteOptions{})
	})
	ttl := int64(600)
	tok, err := c.CoreV1().ServiceAccounts(ns).CreateToken(ctx, name, &authv1.TokenRequest{Spec: authv1.TokenRequestSpec{ExpirationSeconds: &ttl}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	kubeconfig := kubeconfigFor(t, kc.Config.Host, tok.Status.Token, ns)
	// RBAC caches take a moment to see a new binding.
	waitAllowed(t, kc, ns, name)
	return kubeconfig
}

// waitAllowed waits until the API server lets the service account list
// pods, that is until its binding is in effect.
func waitAllowed(t *testing.T, kc *kubetest.Cluster, ns, sa string) {
	t.Helper()
	user := "system:serviceaccount:" + ns + ":" + sa
	deadline := time.Now().Add(30 * time.Second)
	for {
		r, err := kc.Client.AuthorizationV1().SubjectAccessReviews().Create(context.Background(), sarFor(user, ns), metav1.CreateOptions{})
		if err == nil && r.Status.Allowed {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s may not list pods after 30 s: %v", user, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestE2EClusterRBAC runs the audit as a ServiceAccount holding exactly
// the documented ClusterRole: it reads everything. Without
// controllerrevisions, the run reports cluster-unchecked and exits 3.
func TestE2EClusterRBAC(t *testing.T) {
	t.Parallel()
	kc := kubetest.Env(t)
	ns := kc.Namespace(t, "rbac")
	nakedPods(t, kc, ns, 2)
	role := auditRole(t)

	full := auditAs(t, kc, ns, "auditor", role)
	// --fail-on none: exit 0 means read in full, 3 means something not read.
	code, r, stderr := runClusterJSON(t, "--kubeconfig", full, "--fail-on", "none")
	if code != ExitClean {
		t.Fatalf("documented role: exit %d, want 0; stderr: %s", code, stderr)
	}
	if n, s := r.count("cluster-unchecked"); n != 0 {
		t.Errorf("documented role: cluster-unchecked %v", s)
	}
	if n, _ := r.count("unmanaged-instance"); n != 2 {
		t.Errorf("documented role: %d unmanaged-instance findings, want 2 (the context's namespace %s)", n, ns)
	}

	partial := role.DeepCopy()
	for i := range partial.Rules {
		partial.Rules[i].Resources = slices.DeleteFunc(slices.Clone(partial.Rules[i].Resources), func(r string) bool { return r == "controllerrevisions" })
	}
	limited := auditAs(t, kc, ns, "limited", partial)
	for _, failOn := range []string{"none", "high"} {
		code, r, stderr = runClusterJSON(t, "--kubeconfig", limited, "--fail-on", failOn)
		if code != ExitCouldNotCheck {
			t.Errorf("without controllerrevisions, --fail-on %s: exit %d, want %d; stderr: %s", failOn, code, ExitCouldNotCheck, stderr)
		}
		if n, s := r.count("cluster-unchecked"); n != 1 || !strings.Contains(s[0], "controllerrevisions") {
			t.Errorf("without controllerrevisions: cluster-unchecked %v, want one naming controllerrevisions", s)
		}
	}
}

// sarFor asks whether user may list pods in ns.
func sarFor(user, ns string) *authzv1.SubjectAccessReview {
	return &authzv1.SubjectAccessReview{Spec: authzv1.SubjectAccessReviewSpec{
		User:               user,
		ResourceAttributes: &authzv1.ResourceAttributes{Namespace: ns, Verb: "list", Resource: "pods"},
	}}
}
