package kubetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/immutcheck/immutcheck/internal/e2e"
)

// Cluster is the shared control plane as a test sees it.
type Cluster struct {
	// Client is a cluster-admin client.
	Client kubernetes.Interface
	// Config is the client's configuration.
	Config *rest.Config
	// Kubeconfig is the path of a cluster-admin kubeconfig file.
	Kubeconfig string
	// Bin is the directory holding kubectl, kwok and the control plane
	// binaries.
	Bin string
	// State is the control plane's state directory (logs, audit log,
	// apiserver.sh to restart the API server).
	State string
}

// Env returns the shared control plane; when the setup step did not
// configure one, the test skips or fails as package e2e decides.
func Env(t testing.TB) *Cluster {
	t.Helper()
	path := e2e.Env(t, "IMMUTCHECK_KUBECONFIG", "Kubernetes control plane", "run scripts/setup/kube.sh")
	cfg, err := clientcmd.BuildConfigFromFlags("", path)
	if err != nil {
		t.Fatalf("kubeconfig %s: %v", path, err)
	}
	cfg.QPS, cfg.Burst = 100, 200
	c, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	bin := os.Getenv("IMMUTCHECK_KUBE_BIN")
	state := os.Getenv("IMMUTCHECK_KUBE_STATE")
	if state == "" {
		state = filepath.Dir(path)
	}
	return &Cluster{Client: c, Config: cfg, Kubeconfig: path, Bin: bin, State: state}
}

// Suffix returns a short random suffix for names of test objects.
func Suffix() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Namespace creates a namespace named prefix-RANDOM and deletes it when the
// test ends.
func (c *Cluster) Namespace(t testing.TB, prefix string) string {
	t.Helper()
	ctx := context.Background()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: prefix + "-" + Suffix()}}
	if _, err := c.Client.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create namespace: %v", err)
	}
	t.Cleanup(func() {
		// Pods on kwok nodes go at once when deleted with no grace period.
		zero := int64(0)
		_ = c.Client.CoreV1().Pods(ns.Name).DeleteCollection(context.Background(),
			metav1.DeleteOptions{GracePeriodSeconds: &zero}, metav1.ListOptions{})
		_ = c.Client.CoreV1().Namespaces().Delete(context.Background(), ns.Name, metav1.DeleteOptions{})
	})
	// The default service account is created asynchronously; pods need it.
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := c.Client.CoreV1().ServiceAccounts(ns.Name).Get(ctx, "default", metav1.GetOptions{})
		if err == nil {
			break
		}
		if !apierrors.IsNotFound(err) || time.Now().After(deadline) {
			t.Fatalf("service account default in %s: %v", ns.Name, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return ns.Name
}

// Node creates a simulated node (managed by kwok) with the given labels and
// node info, and deletes it when the test ends. Pods scheduled on it become
// Running.
func (c *Cluster) Node(t testing.TB, name string, labels map[string]string, info corev1.NodeSystemInfo) *corev1.Node {
	t.Helper()
	ctx := context.Background()
	n := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name:        name,
			Labels:      labels,
			Annotations: map[string]string{"kwok.x-k8s.io/node": "fake"},
		},
		Spec: corev1.NodeSpec{},
	}
	n, err := c.Client.CoreV1().Nodes().Create(ctx, n, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("create node %s: %v", name, err)
	}
	t.Cleanup(func() {
		_ = c.Client.CoreV1().Nodes().Delete(context.Background(), name, metav1.DeleteOptions{})
	})
	if info != (corev1.NodeSystemInfo{}) {
		n = c.SetNodeInfo(t, name, info)
	}
	return n
}

// SetNodeInfo sets a node's status.nodeInfo as a kubelet would. kwok may
// write the node status too, so the write is retried until it sticks.
func (c *Cluster) SetNodeInfo(t testing.TB, name string, info corev1.NodeSystemInfo) *corev1.Node {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(30 * time.Second)
	for {
		n, err := c.Client.CoreV1().Nodes().Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			t.Fatalf("get node %s: %v", name, err)
		}
		if n.Status.NodeInfo == info {
			return n
		}
		n.Status.NodeInfo = info
		_, err = c.Client.CoreV1().Nodes().UpdateStatus(ctx, n, metav1.UpdateOptions{})
		if err != nil && !apierrors.IsConflict(err) {
			t.Fatalf("update node %s status: %v", name, err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("node %s: nodeInfo does not stick", name)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
