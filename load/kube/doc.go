// Package kube loads Kubernetes manifests: YAML or JSON, multi-document
// streams and List kinds, decoded with the API server's semantics.
package kube
