package cluster

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/immutcheck/immutcheck/internal/kubetest"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// listTestRecorder counts the requests of a client by path and remembers
// the content type of each answer.
type listTestRecorder struct {
	mu    sync.Mutex
	paths map[string]int
	types map[string]bool
	next  http.RoundTripper
}

func (r *listTestRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.paths[req.URL.Path]++
	if err == nil {
		r.types[resp.Header.Get("Content-Type")] = true
	}
	return resp, err
}

// listTestClient connects as the CLI does, through the shared control
// plane's kubeconfig, and records the requests.
func listTestClient(t *testing.T, kc *kubetest.Cluster) (kubernetes.Interface, *listTestRecorder) {
	t.Helper()
	conn, err := Connect(ConnectOptions{Kubeconfig: kc.Kubeconfig, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	rec := &listTestRecorder{paths: map[string]int{}, types: map[string]bool{}}
	cfg := rest.CopyConfig(conn.Config)
	cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper { rec.next = rt; return rec })
	c, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, rec
}

// listTestPod is a naked pod (it stays Pending: no node is asked for).
func listTestPod(name, image string, labels map[string]string) *corev1.Pod {
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: image}},
			NodeSelector: map[string]string{"e2e.immutcheck.dev/nowhere": "yes"}}}
}

// TestE2EListPages lists more pods than fit a page from the real API
// server: every page is read, in Protocol Buffers, and the label selector
// is applied by the server.
func TestE2EListPages(t *testing.T) {
	t.Parallel()
	kc := kubetest.Env(t)
	ns := kc.Namespace(t, "list")
	ctx := context.Background()
	const n = 23
	for i := range n {
		l := map[string]string{"app": "a"}
		if i%2 == 1 {
			l["app"] = "b"
		}
		if _, err := kc.Client.CoreV1().Pods(ns).Create(ctx, listTestPod(fmt.Sprintf("p-%02d", i), "nginx:1.27", l), metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	c, rec := listTestClient(t, kc)
	s, err := List(ctx, c, Scope{Namespace: ns, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, p := range s.Pods {
		if seen[p.Name] || p.Namespace != ns {
			t.Errorf("pod %s/%s listed twice or from elsewhere", p.Namespace, p.Name)
		}
		seen[p.Name] = true
		if p.ManagedFields != nil {
			t.Errorf("pod %s keeps its managed fields", p.Name)
		}
	}
	if len(seen) != n {
		t.Errorf("%d pods listed, want %d", len(seen), n)
	}
	if got := rec.paths["/api/v1/namespaces/"+ns+"/pods"]; got != 5 {
		t.Errorf("pods listed in %d requests, want 5 pages of 5", got)
	}
	if !rec.types["application/vnd.kubernetes.protobuf"] {
		t.Errorf("no answer in protobuf; content types %v", rec.types)
	}
	if len(s.Nodes) == 0 && len(s.Unread) == 0 {
		t.Error("nodes were neither listed nor reported unread")
	}

	s, err = List(ctx, c, Scope{Namespace: ns, LabelSelector: "app=b", Limit: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Pods) != n/2 {
		t.Errorf("selector app=b: %d pods, want %d", len(s.Pods), n/2)
	}
	for _, p := range s.Pods {
		if p.Labels["app"] != "b" {
			t.Errorf("selector app=b listed %s", p.Name)
		}
	}
}

// TestE2EListStaticRules: a Deployment created with an unpinned image on
// the real API server is reported by the static rules, as the live
// object.
func TestE2EListStaticRules(t *testing.T) {
	t.Parallel()
	kc := kubetest.Env(t)
	ns := kc.Namespace(t, "static")
	ctx := context.Background()
	two := int32(2)
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: appsv1.DeploymentSpec{
			Replicas: &two,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "nginx:1.27"}}},
			},
		},
	}
	d, err := kc.Client.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kc.Client.CoreV1().Pods(ns).Create(ctx, listTestPod("naked", "busybox@sha256:"+strings.Repeat("a", 64), nil), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	c, _ := listTestClient(t, kc)
	s, err := List(ctx, c, Scope{Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	ev, err := rules.NewEvaluator(rules.All(), rules.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	fs := ev.Evaluate(&model.File{Path: "cluster", Format: "kubernetes", Workloads: Workloads(s)})
	var pinned, unmanaged bool
	for _, f := range fs {
		switch f.Rule {
		case rules.ImageNotPinned:
			pinned = true
			want := model.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: ns, Name: "web", UID: string(d.UID)}
			if f.Object == nil || *f.Object != want || f.Location.File != "cluster/"+ns+"/deployment/web" {
				t.Errorf("image-not-pinned on %v at %v, want %v", f.Object, f.Location, want)
			}
		case rules.UnmanagedInstance:
			unmanaged = true
			if f.Location.File != "cluster/"+ns+"/pod/naked" {
				t.Errorf("unmanaged-instance at %v", f.Location)
			}
		}
	}
	if !pinned || !unmanaged {
		t.Errorf("image-not-pinned %v, unmanaged-instance %v; findings: %v", pinned, unmanaged, fs)
	}
}
