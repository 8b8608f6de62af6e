package kubetest

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// WaitPods waits until exactly n pods matching selector in ns are Running
// (kwok marks scheduled pods Running) and returns them.
func (c *Cluster) WaitPods(t testing.TB, ns, selector string, n int, timeout time.Duration) []corev1.Pod {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(timeout)
	for {
		l, err := c.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: selector})
		if err != nil {
			t.Fatalf("list pods: %v", err)
		}
		running := 0
		for _, p := range l.Items {
			if p.Status.Phase == corev1.PodRunning && p.DeletionTimestamp == nil {
				running++
			}
		}
		if running == n && len(l.Items) == n {
			return l.Items
		}
		if time.Now().After(deadline) {
			t.Fatalf("pods %q in %s: %d of %d running (%d in all) after %v", selector, ns, running, n, len(l.Items), timeout)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// SetImageIDs plays the kubelet: it sets status.containerStatuses[].imageID
// of the named containers of a pod (image IDs such as
// "docker.io/library/nginx@sha256:..."). Containers without a status get
// one, marked running. The write is retried on conflicts with kwok.
func (c *Cluster) SetImageIDs(t testing.TB, ns, pod string, ids map[string]string) *corev1.Pod {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(30 * time.Second)
	for {
		p, err := c.Client.CoreV1().Pods(ns).Get(ctx, pod, metav1.GetOptions{})
		if err != nil {
			t.Fatalf("get pod %s/%s: %v", ns, pod, err)
		}
		if imageIDsSet(p, ids) {
			return p
		}
		for _, ctr := range p.Spec.Containers {
			id, ok := ids[ctr.Name]
			if !ok {
				continue
			}
			i := statusIndex(p, ctr.Name)
			if i < 0 {
				p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, corev1.ContainerStatus{
					Name: ctr.Name, Ready: true,
					State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.Now()}},
				})
				i = len(p.Status.ContainerStatuses) - 1
			}
			p.Status.ContainerStatuses[i].Image = ctr.Image
			p.Status.ContainerStatuses[i].ImageID = id
		}
		_, err = c.Client.CoreV1().Pods(ns).UpdateStatus(ctx, p, metav1.UpdateOptions{})
		if err != nil && !apierrors.IsConflict(err) {
			t.Fatalf("update pod %s/%s status: %v", ns, pod, err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("pod %s/%s: image IDs do not stick", ns, pod)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func statusIndex(p *corev1.Pod, name string) int {
	for i, s := range p.Status.ContainerStatuses {
		if s.Name == name {
			return i
		}
	}
	return -1
}

func imageIDsSet(p *corev1.Pod, ids map[string]string) bool {
	for name, id := range ids {
		i := statusIndex(p, name)
		if i < 0 || p.Status.ContainerStatuses[i].ImageID != id {
			return false
		}
	}
	return true
}
