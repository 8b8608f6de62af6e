package model

import "strings"

// Location is where findings about the live object r are located:
// "cluster/NAMESPACE/KIND/NAME", or "cluster/KIND/NAME" for cluster-scoped
// objects, with the kind in lower case.
func (r ObjectRef) Location() Location {
	parts := []string{"cluster"}
	if r.Namespace != "" {
		parts = append(parts, r.Namespace)
	}
	return Location{File: strings.Join(append(parts, strings.ToLower(r.Kind), r.Name), "/")}
}
