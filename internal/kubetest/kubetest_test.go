package kubetest

import (
	"context"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestE2EHarness proves the control plane does what the live tests rely
// on: a Deployment on a simulated node gets Running pods, and the test can
// play the kubelet for image IDs and node info.
func TestE2EHarness(t *testing.T) {
	c := Env(t)
	ctx := context.Background()
	ns := c.Namespace(t, "harness")
	pool := "harness-" + Suffix()
	info := corev1.NodeSystemInfo{OSImage: "Debian GNU/Linux 12", KernelVersion: "6.1.0", KubeletVersion: "v1.31.4", ContainerRuntimeVersion: "containerd://1.7.24"}
	node := c.Node(t, pool, map[string]string{"pool": pool}, info)
	if node.Status.NodeInfo.KernelVersion != "6.1.0" {
		t.Fatalf("node info not set: %+v", node.Status.NodeInfo)
	}
	two := int32(2)
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: ns},
		Spec: appsv1.DeploymentSpec{
			Replicas: &two,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec: corev1.PodSpec{
					NodeSelector: map[string]string{"pool": pool},
					Containers:   []corev1.Container{{Name: "web", Image: "registry.example/web:1"}},
				},
			},
		},
	}
	if _, err := c.Client.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	pods := c.WaitPods(t, ns, "app=web", 2, 60*time.Second)
	id := "registry.example/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	p := c.SetImageIDs(t, ns, pods[0].Name, map[string]string{"web": id})
	if got := p.Status.ContainerStatuses[0].ImageID; got != id {
		t.Fatalf("imageID = %q, want %q", got, id)
	}
	if p.Spec.NodeName != pool {
		t.Errorf("pod on node %q, want %q", p.Spec.NodeName, pool)
	}
}
