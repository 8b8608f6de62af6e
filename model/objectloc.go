package model

import "strings"

// Location is where findings about the live object r are located:
// "cluster/NAMESPACE/KIND/NAME", or "cluster/KIND/NAME" for cluster-scoped
// objects, with the kind in lower case.
func (r ObjectRef) Location() Location {
	kind := strings.ToLower(r.Kind)
	if r.Namespace == "" {
		return Location{File: "cluster/" + kind + "/" + r.Name}
	}
	return Location{File: "cluster/" + r.Namespace + "/" + kind + "/" + r.Name}
}

// Subject names the object in reports: "Kind/NAMESPACE/NAME", or
// "Kind/NAME" for a cluster-scoped one.
func (r ObjectRef) Subject() string {
	if r.Namespace == "" {
		return r.Kind + "/" + r.Name
	}
	return r.Kind + "/" + r.Namespace + "/" + r.Name
}
