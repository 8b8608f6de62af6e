package evict

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
)

// evictReplacementWait remembers, for an owner one of whose pods is being
// evicted, how many of its pods were ready before, so that the next
// eviction of the same owner can wait for the replacement.
type evictReplacementWait struct {
	target Target
	// ready is the number of the owner's ready pods before the eviction,
	// the evicted one included; -1 when they could not be counted.
	ready int
}

// newEvictReplacementWait counts the owner's ready pods before t is evicted.
func newEvictReplacementWait(ctx context.Context, c kubernetes.Interface, t Target) *evictReplacementWait {
	n, err := evictReadyPods(ctx, c, t, "")
	if err != nil {
		n = -1
	}
	return &evictReplacementWait{target: t, ready: n}
}

// wait polls until the owner has as many ready pods as before the
// eviction, not counting the evicted pod nor terminating ones, or until
// o.Timeout. It polls every o.RetryInterval or every second, whichever
// is shorter.
func (w *evictReplacementWait) wait(ctx context.Context, c kubernetes.Interface, o Options) error {
	t := w.target
	if w.ready < 0 {
		return fmt.Errorf("could not count the ready pods of %s %s before evicting %s", t.Owner.Kind, t.Owner.Name, t.Pod.Name)
	}
	every := min(o.RetryInterval, time.Second)
	deadline := time.Now().Add(o.Timeout)
	for {
		n, err := evictReadyPods(ctx, c, t, types.UID(t.Pod.UID))
		if err == nil && n >= w.ready {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("replacement of %s: %w", t.Pod.Name, ctx.Err())
		}
		if time.Now().Add(every).After(deadline) {
			if err != nil {
				return fmt.Errorf("replacement of %s: list pods: %w", t.Pod.Name, err)
			}
			return fmt.Errorf("replacement of %s not ready after %s (%d of %d pods of %s %s ready)",
				t.Pod.Name, o.Timeout, n, w.ready, t.Owner.Kind, t.Owner.Name)
		}
		evictSleep(ctx, every)
	}
}

// evictReadyPods counts the ready, not terminating pods of t's owner, leaving
// out the pod with UID skip.
func evictReadyPods(ctx context.Context, c kubernetes.Interface, t Target, skip types.UID) (int, error) {
	l, err := c.CoreV1().Pods(t.Pod.Namespace).List(ctx, metav1.ListOptions{LabelSelector: t.Selector})
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range l.Items {
		p := &l.Items[i]
		ref := metav1.GetControllerOfNoCopy(p)
		if ref == nil || string(ref.UID) != t.Owner.UID || p.UID == skip || p.DeletionTimestamp != nil {
			continue
		}
		if evictPodReady(p) {
			n++
		}
	}
	return n, nil
}

// evictPodReady reports whether the pod's Ready condition is true.
func evictPodReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
