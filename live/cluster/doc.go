// Package cluster reads a live Kubernetes cluster into the model: it lists
// what runs (pods, their owners, controller revisions and nodes) from the
// API server (List), and turns the snapshot into model values (File): the
// live pod templates as workloads for the static rules, each running pod
// and node as a model.Instance — the image digests it runs next to the
// images its template declares, the edits made to it since it was
// created, its debug containers, its age, a node's platform and pool — and
// what could not be read as ClusterUnread problems. ReadAuditLog reads the
// exec, attach and debug sessions of an API server audit log.
//
// It decides nothing: the rules of package rules judge what it reads.
// Decisions about reading stay here and are documented where they are
// made: which template a pod claims (declaredOf), which pods are left out
// (Instances), which differences are edits rather than creation-time
// additions (podEdits). Replacing drifted pods is package
// remediate/evict's.
//
// Instances and problems are located at "cluster/NAMESPACE/KIND/NAME"
// (cluster-scoped objects: "cluster/KIND/NAME") and carry a
// model.ObjectRef.
package cluster
