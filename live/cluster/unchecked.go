package cluster

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/immutcheck/immutcheck/model"
)

// unreadProblems are the collections the audit could not list.
func unreadProblems(us []Unread) []model.Problem {
	out := make([]model.Problem, 0, len(us))
	for _, u := range us {
		where, loc := "in all namespaces", "cluster/"+u.Resource
		if u.Namespace != "" {
			where, loc = "in namespace "+u.Namespace, "cluster/"+u.Namespace+"/"+u.Resource
		}
		out = append(out, model.Problem{
			Kind:     model.ClusterUnread,
			Object:   u.Resource + " " + where,
			Location: model.Location{File: loc},
			Err:      fmt.Errorf("%s could not be listed %s, so nothing that depends on them was checked: %w", u.Resource, where, u.Err),
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

// undeclaredProblems says that p's declaration could not be found or read,
// unless that follows from a collection that was not listed at all
// (already a problem of its own, see unreadProblems).
func undeclaredProblems(p *corev1.Pod, err error, unread map[string]bool) []model.Problem {
	if c := controller(p); c != nil {
		for _, r := range ownerResources[c.Kind] {
			if unread[r] {
				return nil
			}
		}
	}
	r := podRef(p)
	return []model.Problem{{Kind: model.ClusterUnread, Object: r.subject(), Ref: r.object(), Location: r.location(),
		Err: fmt.Errorf("the pod was not compared with its template: %w", err)}}
}
