// Package model holds the plain values that loaders produce and rules judge.
//
// A loader turns one input format (a Kubernetes manifest, a Dockerfile, a
// compose file, ...) into these values; it never decides what is wrong. A rule
// reads them and never knows where they came from, so the same rule judges a
// Kubernetes container and a compose service alike.
//
// The values are:
//
//   - Artifact: an image reference as written, parsed into its parts.
//   - Workload: a declared unit that produces running instances (a pod
//     template, a compose service, an ECS task definition or service, a
//     Nomad task group) with its containers, volumes, update and rollback
//     settings.
//   - Build: a declaration that produces an image (a Dockerfile, a Packer
//     source), with its base images or machine images, remote fetches,
//     build steps and start command.
//   - PlannedChange: a change an infrastructure-as-code tool will make to
//     one resource (Terraform plan, CloudFormation change set, Pulumi
//     preview).
//   - Reconciler: a GitOps object (Argo CD, Flux) and how it keeps the
//     cluster equal to its source.
//   - Resource: an infrastructure resource as declared, with the settings
//     that decide how it is changed and replaced.
//
// Every value that a finding can point at carries a Location.
package model
