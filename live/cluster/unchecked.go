package cluster

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// unreadFindings reports each collection the audit could not list.
func unreadFindings(us []Unread) []rules.Finding {
	out := make([]rules.Finding, 0, len(us))
	for _, u := range us {
		where, loc := "in all namespaces", "cluster/"+u.Resource
		if u.Namespace != "" {
			where, loc = "in namespace "+u.Namespace, "cluster/"+u.Namespace+"/"+u.Resource
		}
		out = append(out, rules.Finding{
			Rule:     rules.ClusterUnchecked,
			Severity: rules.ClusterUnchecked.Severity,
			Subject:  u.Resource + " " + where,
			Location: model.Location{File: loc},
			Message:  fmt.Sprintf("%s could not be listed %s, so nothing that depends on them was checked: %v", u.Resource, where, u.Err),
		})
	}
	return out
}

// ownerResources are the collections a pod's declaration is read from,
// by controller kind.
var ownerResources = map[string][]string{
	"ReplicaSet":  {"replicasets"},
	"Job":         {"jobs"},
	"StatefulSet": {"controllerrevisions"},
	"DaemonSet":   {"controllerrevisions"},
}

// undeclaredFinding reports that p's declaration could not be found or
// read, unless that follows from a collection that was not listed at all
// (already reported once by unreadFindings).
func undeclaredFinding(p *corev1.Pod, err error, unread map[string]bool) []rules.Finding {
	if c := controller(p); c != nil {
		for _, r := range ownerResources[c.Kind] {
			if unread[r] {
				return nil
			}
		}
	}
	return []rules.Finding{finding(rules.ClusterUnchecked, podRef(p), "",
		"the pod was not compared with its template: %v", err)}
}
