// Package nomad loads HashiCorp Nomad job specifications: HCL2 job files
// (parsed with github.com/hashicorp/hcl/v2) and the JSON job format of the
// Nomad API ({"Job": {...}}, as `nomad job run -output` prints it).
//
// Each task group becomes a model.Workload and each task a model.Container:
// the image of docker and podman tasks, their command, privileged mode,
// capabilities, host namespaces, host volumes and bind mounts, health
// checks, and the group's update block (auto_revert) as its rollback
// setting. Both syntaxes are decoded into one intermediate job value, so the
// model is built in one place.
package nomad
