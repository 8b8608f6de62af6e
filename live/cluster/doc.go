// Package cluster audits a live Kubernetes cluster: it lists what runs
// (pods, their owners, controller revisions and nodes) from the API server,
// checks the live pod templates with the static rules, and compares each
// running pod with its declaration — the image digest it runs, the template
// revision it claims, debug containers added to it, the nodes it runs on.
// It can also replace drifted pods through the Eviction API, so that their
// controllers recreate them from the declared template.
//
// Live findings are located at "cluster/NAMESPACE/KIND/NAME" (cluster-scoped
// objects: "cluster/KIND/NAME") and carry a model.ObjectRef.
package cluster
