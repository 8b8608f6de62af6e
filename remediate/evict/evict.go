package evict

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	policyv1 "k8s.io/api/policy/v1"
	policyv1beta1 "k8s.io/api/policy/v1beta1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	utilnet "k8s.io/apimachinery/pkg/util/net"
	"k8s.io/client-go/kubernetes"
)

// Result is what became of one planned eviction.
type Result string

// Results of an eviction.
const (
	// Evicted: the API server accepted the eviction; the owner replaces
	// the pod.
	Evicted Result = "evicted"
	// Gone: the pod no longer existed; nothing was done.
	Gone Result = "gone"
	// Skipped: the pod was left alone (it changed since it was checked,
	// or the replacement of its sibling never became ready).
	Skipped Result = "skipped"
	// Blocked: a PodDisruptionBudget (or API throttling) refused the
	// eviction until the timeout.
	Blocked Result = "blocked"
	// Failed: the API refused the eviction for another reason, or the run
	// was interrupted.
	Failed Result = "failed"
)

// Outcome is the result of one planned eviction.
type Outcome struct {
	Target
	Result Result
	// Detail says why, for every result but Evicted.
	Detail string
	// Err is the API error behind Failed, Blocked and Skipped results.
	Err error
}

// Run evicts the plan's pods one after the other, through the Eviction
// API (policy/v1; policy/v1beta1 only on servers that do not serve v1),
// and writes a line per pod to log. It never deletes a pod.
//
// Each eviction carries the UID and resourceVersion the snapshot saw as
// preconditions: a pod recreated under the same name, or changed since it
// was checked, is refused by the API server (409) and reported Skipped. A
// 429 (a PodDisruptionBudget allows no disruption now) is retried every
// o.RetryInterval until o.Timeout, then reported Blocked with the budget's
// name. Evictions are o.Interval apart. Before evicting a second pod of
// one owner, Run waits (up to o.Timeout) until the owner has as many
// ready pods as before the first eviction, unless o.NoWait. When an
// eviction is blocked, the owner's later pods are skipped.
func Run(ctx context.Context, c kubernetes.Interface, p Plan, o Options, log io.Writer) []Outcome {
	o = o.withDefaults()
	send := evictFunc(c)
	out := make([]Outcome, 0, len(p.Evict))
	waits := map[types.UID]*evictReplacementWait{}
	stuck := map[types.UID]string{}
	for i, t := range p.Evict {
		owner := types.UID(t.Owner.UID)
		var oc Outcome
		switch {
		case ctx.Err() != nil:
			oc = Outcome{Target: t, Result: Failed, Detail: "interrupted", Err: ctx.Err()}
		case stuck[owner] != "":
			oc = Outcome{Target: t, Result: Skipped, Detail: stuck[owner]}
		default:
			if i > 0 {
				evictSleep(ctx, o.Interval)
			}
			if w := waits[owner]; w != nil && !o.NoWait {
				if err := w.wait(ctx, c, o); err != nil {
					stuck[owner] = err.Error()
					oc = Outcome{Target: t, Result: Skipped, Detail: stuck[owner], Err: err}
					break
				}
			}
			if !o.NoWait && owner != "" && evictLaterSibling(p.Evict[i+1:], owner) {
				waits[owner] = newEvictReplacementWait(ctx, c, t)
			}
			oc = evictOne(ctx, c, send, t, o)
			switch oc.Result {
			case Evicted:
			case Blocked:
				// The owner's other pods are most likely under the same
				// budget: do not wait for it once more per pod.
				delete(waits, owner)
				stuck[owner] = "not tried: the eviction of " + t.Pod.Name + " was blocked"
			default:
				delete(waits, owner) // no replacement to wait for
			}
		}
		fmt.Fprintln(log, oc.line())
		out = append(out, oc)
	}
	return out
}

// evictLaterSibling reports whether a later target has the same owner.
func evictLaterSibling(rest []Target, owner types.UID) bool {
	for _, t := range rest {
		if types.UID(t.Owner.UID) == owner {
			return true
		}
	}
	return false
}

// evictOne evicts one pod, retrying while a PodDisruptionBudget refuses
// or the API server is unavailable (restarting, overloaded).
//
// A retry after an unanswered attempt may find the first one done: the
// pod gone (404) or terminating, which changed its resourceVersion (409).
// Both count as evicted then.
func evictOne(ctx context.Context, c kubernetes.Interface, send evictSender, t Target, o Options) Outcome {
	deadline := time.Now().Add(o.Timeout)
	var refused, unanswered error // the last 429, the last transient failure
	for {
		// The deadline also bounds client-go's own retries of responses
		// carrying a Retry-After.
		actx, cancel := context.WithDeadline(ctx, deadline)
		err := send(actx, t)
		cancel()
		switch {
		case err == nil:
			return Outcome{Target: t, Result: Evicted}
		case apierrors.IsNotFound(err) && unanswered != nil:
			return Outcome{Target: t, Result: Evicted, Detail: "gone after an unanswered attempt"}
		case apierrors.IsNotFound(err):
			return Outcome{Target: t, Result: Gone, Detail: "already gone", Err: err}
		case apierrors.IsConflict(err) && unanswered != nil && evictTerminating(ctx, c, t):
			return Outcome{Target: t, Result: Evicted, Detail: "terminating after an unanswered attempt"}
		case apierrors.IsConflict(err):
			return Outcome{Target: t, Result: Skipped, Detail: "changed since checked", Err: err}
		case ctx.Err() != nil:
			return Outcome{Target: t, Result: Failed, Detail: "interrupted", Err: ctx.Err()}
		case apierrors.IsTooManyRequests(err):
			refused, unanswered = err, nil
		case evictTransient(err):
			unanswered = err
		case (refused == nil && unanswered == nil) || !time.Now().After(deadline):
			return Outcome{Target: t, Result: Failed, Detail: fmt.Sprintf("evict: %v", err), Err: err}
		}
		if time.Now().Add(o.RetryInterval).After(deadline) {
			if unanswered != nil {
				return Outcome{Target: t, Result: Failed, Detail: fmt.Sprintf("evict: API server unavailable for %s: %v", o.Timeout, unanswered), Err: unanswered}
			}
			return Outcome{Target: t, Result: Blocked, Detail: evictBlockedBy(refused) + " for " + o.Timeout.String(), Err: refused}
		}
		evictSleep(ctx, o.RetryInterval)
	}
}

// evictTransient reports whether err says the API server is restarting or
// overloaded, so that the eviction may be sent again.
func evictTransient(err error) bool {
	return apierrors.IsServiceUnavailable(err) || apierrors.IsServerTimeout(err) || apierrors.IsTimeout(err) ||
		utilnet.IsConnectionRefused(err) || utilnet.IsConnectionReset(err) || utilnet.IsProbableEOF(err)
}

// evictTerminating reports whether the target pod, with its UID, is now
// terminating: an eviction whose answer was lost went through.
func evictTerminating(ctx context.Context, c kubernetes.Interface, t Target) bool {
	p, err := c.CoreV1().Pods(t.Pod.Namespace).Get(ctx, t.Pod.Name, metav1.GetOptions{})
	return err == nil && string(p.UID) == t.Pod.UID && p.DeletionTimestamp != nil
}

// evictBlockedBy names what refused an eviction with 429: the
// PodDisruptionBudget in the error's cause ("The disruption budget NAME
// needs 2 healthy pods..."), or API throttling.
func evictBlockedBy(err error) string {
	st, ok := err.(apierrors.APIStatus)
	if !ok {
		return "refused"
	}
	if d := st.Status().Details; d != nil {
		for _, c := range d.Causes {
			if c.Type != policyv1.DisruptionBudgetCause {
				continue
			}
			if rest, ok := strings.CutPrefix(c.Message, "The disruption budget "); ok {
				if name, _, _ := strings.Cut(rest, " "); name != "" {
					return "blocked by PodDisruptionBudget " + name
				}
			}
			return "blocked by a PodDisruptionBudget"
		}
	}
	if strings.Contains(st.Status().Message, "disruption budget") {
		return "blocked by a PodDisruptionBudget"
	}
	return "throttled by the API server"
}

// evictSender posts one eviction.
type evictSender func(ctx context.Context, t Target) error

// evictFunc returns the sender for the eviction version the server
// serves: policy/v1 unless discovery says only policy/v1beta1 is served.
func evictFunc(c kubernetes.Interface) evictSender {
	if evictionVersion(c) == "v1beta1" {
		return func(ctx context.Context, t Target) error {
			return c.PolicyV1beta1().Evictions(t.Pod.Namespace).Evict(ctx, &policyv1beta1.Eviction{
				ObjectMeta: metav1.ObjectMeta{Namespace: t.Pod.Namespace, Name: t.Pod.Name}, DeleteOptions: evictPreconditions(t)})
		}
	}
	return func(ctx context.Context, t Target) error {
		return c.PolicyV1().Evictions(t.Pod.Namespace).Evict(ctx, &policyv1.Eviction{
			ObjectMeta: metav1.ObjectMeta{Namespace: t.Pod.Namespace, Name: t.Pod.Name}, DeleteOptions: evictPreconditions(t)})
	}
}

// evictPreconditions pins the eviction to the pod the snapshot saw.
func evictPreconditions(t Target) *metav1.DeleteOptions {
	uid := types.UID(t.Pod.UID)
	rv := t.ResourceVersion
	return &metav1.DeleteOptions{Preconditions: &metav1.Preconditions{UID: &uid, ResourceVersion: &rv}}
}

// evictionVersion asks discovery which policy version serves the
// pods/eviction subresource; "v1" when discovery cannot tell.
func evictionVersion(c kubernetes.Interface) string {
	l, err := c.Discovery().ServerResourcesForGroupVersion("v1")
	if err != nil || l == nil {
		return "v1"
	}
	for _, r := range l.APIResources {
		if r.Name == "pods/eviction" && r.Group == "policy" && r.Version == "v1beta1" {
			return "v1beta1"
		}
	}
	return "v1"
}

// evictSleep waits d or until ctx is done.
func evictSleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
