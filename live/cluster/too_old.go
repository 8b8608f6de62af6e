package cluster

import (
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/immutcheck/immutcheck/rules"
)

// instanceTooOld reports p when it has run longer than maxAge at now. Only
// running pods of long-running workloads are measured: not Job pods (they
// run to completion), not pods being deleted, not static pods' mirrors
// (they live as long as their node, which is replaced with its pool). The
// age is counted from the pod's creation, or from status.startTime when
// creationTimestamp is not set.
func instanceTooOld(p *corev1.Pod, now time.Time, maxAge time.Duration) []rules.Finding {
	if maxAge <= 0 || !active(p) || p.Status.Phase != corev1.PodRunning {
		return nil
	}
	if c := controller(p); c != nil && c.Kind == "Job" {
		return nil
	}
	born := p.CreationTimestamp.Time
	if born.IsZero() && p.Status.StartTime != nil {
		born = p.Status.StartTime.Time
	}
	if born.IsZero() {
		return nil
	}
	age := now.Sub(born)
	if age <= maxAge {
		return nil
	}
	return []rules.Finding{finding(rules.InstanceTooOld, podRef(p), "",
		"pod has run for %s since %s, longer than the maximum age of %s", age.Round(time.Second), born.UTC().Format(time.RFC3339), maxAge)}
}
