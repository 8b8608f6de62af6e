package cluster

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/remotecommand"

	"github.com/immutcheck/immutcheck/internal/e2e"
	"github.com/immutcheck/immutcheck/internal/kubetest"
	"github.com/immutcheck/immutcheck/rules"
)

// TestE2EAuditLog opens real sessions on the shared control plane — an exec
// through client-go's SPDY executor and a debug container added through the
// ephemeralcontainers subresource — and finds them in the API server's own
// audit log. kwok's nodes have no kubelet, so the exec cannot reach a
// container; the API server audits the request all the same, which is what
// the rule reads.
func TestE2EAuditLog(t *testing.T) {
	c := kubetest.Env(t)
	logPath := e2e.Env(t, "IMMUTCHECK_KUBE_AUDIT_LOG", "Kubernetes API server audit log", "run scripts/setup/kube.sh")
	// The API server stamps events with this machine's clock; a little
	// slack keeps Since from dropping our own first request.
	since := time.Now().Add(-2 * time.Second)
	ns := c.Namespace(t, "audit")
	other := c.Namespace(t, "audit-other")
	node := "audit-" + kubetest.Suffix()
	c.Node(t, node, map[string]string{"immutcheck.test/node": node}, corev1.NodeSystemInfo{})
	createPod(t, c, ns, node)
	createPod(t, c, other, node)

	execInPod(t, c.Config, ns, []string{"sh", "-c", "id"})
	execInPod(t, c.Config, other, []string{"true"})
	// An attempt the API server denies is reported too: admin acting as a
	// user that RBAC grants nothing.
	nobody := rest.CopyConfig(c.Config)
	nobody.Impersonate = rest.ImpersonationConfig{UserName: "immutcheck-e2e-nobody"}
	execInPod(t, nobody, ns, []string{"whoami"})
	addDebugContainer(t, c, ns)

	want := []string{
		`exec by "admin" in container "web": sh -c id at `,
		`exec by "admin" as "immutcheck-e2e-nobody" in container "web": whoami at `,
		`debug container added (update pods/ephemeralcontainers) by "admin" at `,
	}
	got := waitSessions(t, logPath, AuditOptions{Namespace: ns, Since: since}, len(want))
	for i, f := range got {
		if f.Rule != rules.ExecSession || f.Subject != "Pod/"+ns+"/web" || f.Object == nil ||
			f.Object.Namespace != ns || f.Object.Name != "web" || f.Location.File != logPath || f.Location.Line < 1 {
			t.Errorf("session %d: %+v", i, f)
		}
		if !strings.HasPrefix(f.Message, want[i]) {
			t.Errorf("session %d: message %q, want it to start with %q", i, f.Message, want[i])
		}
	}
	if !strings.HasSuffix(got[1].Message, "(denied: 403)") {
		t.Errorf("impersonated exec: message %q, want it denied", got[1].Message)
	}
	// Update events name the pod's UID; exec events do not.
	if got[2].Object.UID == "" {
		t.Errorf("debug session: object %+v without the pod's UID", got[2].Object)
	}
	// Filtering on the other namespace finds its exec and nothing of ns.
	got = waitSessions(t, logPath, AuditOptions{Namespace: other, Since: since}, 1)
	if got[0].Subject != "Pod/"+other+"/web" || !strings.HasPrefix(got[0].Message, `exec by "admin" in container "web": true at `) {
		t.Errorf("session in %s: %+v", other, got[0])
	}
}

// createPod creates pod "web" in ns, bound to node, and waits until kwok
// reports it running (the API server refuses exec into finished pods).
func createPod(t *testing.T, c *kubetest.Cluster, ns, node string) {
	t.Helper()
	p := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Labels: map[string]string{"app": "web"}},
		Spec: corev1.PodSpec{
			NodeName:   node,
			Containers: []corev1.Container{{Name: "web", Image: "registry.example.com/web:1"}},
		},
	}
	if _, err := c.Client.CoreV1().Pods(ns).Create(context.Background(), p, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create pod in %s: %v", ns, err)
	}
	c.WaitPods(t, ns, "app=web", 1, time.Minute)
}

// execInPod runs command in pod web of ns as kubectl exec does. It is
// expected to fail (no kubelet behind kwok's nodes, or RBAC denies it);
// the error is logged.
func execInPod(t *testing.T, cfg *rest.Config, ns string, command []string) {
	t.Helper()
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	req := client.CoreV1().RESTClient().Post().Resource("pods").Namespace(ns).Name("web").
		SubResource("exec").VersionedParams(&corev1.PodExecOptions{
		Container: "web", Command: command, Stdout: true, Stderr: true,
	}, scheme.ParameterCodec)
	exec, err := remotecommand.NewSPDYExecutor(cfg, "POST", req.URL())
	if err != nil {
		t.Fatalf("exec executor: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out bytes.Buffer
	err = exec.StreamWithContext(ctx, remotecommand.StreamOptions{Stdout: &out, Stderr: &out})
	t.Logf("exec %v in %s/web: %v (output %q)", command, ns, err, out.String())
}

// addDebugContainer adds an ephemeral container to pod web of ns, as
// kubectl debug does.
func addDebugContainer(t *testing.T, c *kubetest.Cluster, ns string) {
	t.Helper()
	ctx := context.Background()
	p, err := c.Client.CoreV1().Pods(ns).Get(ctx, "web", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("get pod: %v", err)
	}
	p.Spec.EphemeralContainers = append(p.Spec.EphemeralContainers, corev1.EphemeralContainer{
		EphemeralContainerCommon: corev1.EphemeralContainerCommon{
			Name: "debugger", Image: "registry.example.com/busybox:1", Command: []string{"sh"},
			Stdin: true, TTY: true, TerminationMessagePolicy: corev1.TerminationMessageReadFile,
			ImagePullPolicy: corev1.PullIfNotPresent,
		},
		TargetContainerName: "web",
	})
	if _, err := c.Client.CoreV1().Pods(ns).UpdateEphemeralContainers(ctx, "web", p, metav1.UpdateOptions{}); err != nil {
		t.Fatalf("add ephemeral container: %v", err)
	}
}

// waitSessions reads the audit log until it holds n sessions matching opts
// (events are written when each request completes). The log is shared and
// written while we read, so a read that ends in a half-written line is
// retried; any error left at the deadline fails the test.
func waitSessions(t *testing.T, path string, opts AuditOptions, n int) []rules.Finding {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for {
		got, err := readAuditFile(path, opts)
		if err == nil && len(got) >= n {
			if len(got) > n {
				t.Fatalf("%d sessions in %s, want %d: %+v", len(got), opts.Namespace, n, got)
			}
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("audit log %s: %d sessions in %s, want %d (error %v)", path, len(got), opts.Namespace, n, err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func readAuditFile(path string, opts AuditOptions) ([]rules.Finding, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAuditFindings(context.Background(), path, f, opts)
}
