package model

// ObjectRef identifies a Kubernetes object a finding is about, for outputs
// that address objects rather than files (PolicyReport). Live checks set
// it; static loaders may.
type ObjectRef struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
	UID        string `json:"uid,omitempty"`
}
