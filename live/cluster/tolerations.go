package cluster

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// addedTolerations lists the tolerations of p that its template t does not
// declare and that no admission plugin or controller adds by itself (see
// podModifiedInPlace).
func addedTolerations(p *corev1.Pod, t *corev1.PodTemplateSpec) []string {
	var out []string
	for _, tol := range p.Spec.Tolerations {
		if strings.HasPrefix(tol.Key, "node.kubernetes.io/") || requestsResource(p, tol.Key) {
			continue
		}
		declared := false
		for _, tt := range t.Spec.Tolerations {
			if tolerationEqual(tol, tt) {
				declared = true
				break
			}
		}
		if !declared {
			out = append(out, tolerationText(tol))
		}
	}
	return out
}

// tolerationEqual compares two tolerations field by field; an empty
// operator is Equal, as the API defaults it.
func tolerationEqual(a, b corev1.Toleration) bool {
	op := func(o corev1.TolerationOperator) corev1.TolerationOperator {
		if o == "" {
			return corev1.TolerationOpEqual
		}
		return o
	}
	return a.Key == b.Key && op(a.Operator) == op(b.Operator) && a.Value == b.Value &&
		a.Effect == b.Effect && equalInt64(a.TolerationSeconds, b.TolerationSeconds)
}

// requestsResource reports whether a container of p requests or limits the
// named resource (ExtendedResourceToleration adds a toleration keyed by
// each extended resource a pod requests).
func requestsResource(p *corev1.Pod, name string) bool {
	if name == "" {
		return false
	}
	for _, c := range append(append([]corev1.Container(nil), p.Spec.Containers...), p.Spec.InitContainers...) {
		if _, ok := c.Resources.Requests[corev1.ResourceName(name)]; ok {
			return true
		}
		if _, ok := c.Resources.Limits[corev1.ResourceName(name)]; ok {
			return true
		}
	}
	return false
}

// tolerationText writes a toleration as kubectl describe does:
// "key=value:Effect" or "key:Effect" for Exists, with the seconds.
func tolerationText(t corev1.Toleration) string {
	s := t.Key
	if s == "" {
		s = "<all keys>"
	}
	if t.Operator != corev1.TolerationOpExists {
		s += "=" + t.Value
	}
	if t.Effect != "" {
		s += ":" + string(t.Effect)
	}
	if t.TolerationSeconds != nil {
		s += fmt.Sprintf(" for %ds", *t.TolerationSeconds)
	}
	return s
}
