// Package kube loads Kubernetes manifests: YAML or JSON, multi-document
// streams and List kinds, decoded with the API server's semantics.
//
// Each document of a stream is bounded before it is parsed (Options), then
// converted to JSON with sigs.k8s.io/yaml's strict conversion (YAML 1.1
// scalars, duplicate keys rejected) and decoded into the typed objects of
// k8s.io/api with sigs.k8s.io/json's strict, case-sensitive decoder: the same
// stack the API server and kubectl use, so the object checked is the object
// the cluster would run. Unknown fields are reported as model.UnknownField
// problems and the object is still loaded; everything else the API server
// would refuse (syntax errors, duplicate keys, wrong types, a missing kind)
// is a model.Rejected problem.
//
// Workload kinds (Pod, ReplicationController, Deployment, ReplicaSet,
// StatefulSet, DaemonSet, Job, CronJob, Argo Rollouts Rollout and OpenShift
// DeploymentConfig) become model.Workload values. Every other kind is valid
// input with no workload.
//
// Each document is parsed once with go.yaml.in/yaml/v3 into a yaml.Node
// tree. The tree gives positions: it is looked up by path and never
// expanded, so aliases are never followed (index.go). For the documents
// that use only plain YAML, the tree is also converted to JSON with go-yaml
// v2's YAML 1.1 rules (fastjson.go); anything else (anchors, tags, merge
// keys, non-string keys, duplicates, errors) is converted by
// sigs.k8s.io/yaml itself. A differential fuzz test holds the two
// conversions equal. Values are always taken from the typed decode of that
// JSON; the tree only says where they are written. A valid document of a
// kind without workload is recognised on the tree alone and goes no
// further (skip.go); tests and fuzzing compare that shortcut with the full
// path.
//
// Suppressions are read from the annotation immutcheck.dev/ignore on the
// object or on its pod template; ParseIgnore parses its value.
package kube
