package evict

import (
	"fmt"
	"io"
	"strings"
)

// WritePlan writes the plan as lines: what would be evicted and why, what
// is skipped and why. It is the output of a dry run.
func WritePlan(w io.Writer, p Plan) error {
	if _, err := fmt.Fprintf(w, "remediation plan: %d to evict, %d skipped\n", len(p.Evict), len(p.Skipped)); err != nil {
		return err
	}
	for _, t := range p.Evict {
		if _, err := fmt.Fprintln(w, "evict "+t.describe("")); err != nil {
			return err
		}
	}
	for _, s := range p.Skipped {
		if _, err := fmt.Fprintln(w, "skip "+s.describe(s.Reason)); err != nil {
			return err
		}
	}
	return nil
}

// line is the outcome as one line of the run's output.
func (oc Outcome) line() string {
	return string(oc.Result) + " " + oc.describe(oc.Detail)
}

// describe names the target, its owner, why, and the rules that flagged
// it: "pod shop/web-1 (ReplicaSet web-6f9): DETAIL [pod-modified-in-place]".
func (t Target) describe(detail string) string {
	kind := strings.ToLower(t.Pod.Kind)
	if kind == "" {
		kind = "pod"
	}
	s := fmt.Sprintf("%s %s/%s", kind, t.Pod.Namespace, t.Pod.Name)
	if t.Owner.Kind != "" {
		s += fmt.Sprintf(" (%s %s)", t.Owner.Kind, t.Owner.Name)
	}
	if detail != "" {
		s += ": " + detail
	}
	return s + " [" + strings.Join(t.Rules, ", ") + "]"
}
