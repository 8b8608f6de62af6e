// Package remediate holds the remediation of drifted instances. It
// replaces, never repairs: a drifted instance is not patched back into
// shape, it is thrown away and a fresh copy of the same image takes its
// place, so that what runs is again exactly what was built, reviewed and
// signed.
//
// Each runtime has its own subpackage:
//
//   - evict (Kubernetes) evicts drifted pods through the Eviction API, so
//     that PodDisruptionBudgets are respected and the pods' controllers
//     create the replacements.
//   - recreate (Docker) recreates a drifted container from the same image
//     digest with the same configuration, awaits its healthcheck and only
//     then removes the old one, restoring it when the new one fails.
//
// Dry-run is the default in every command; acting needs an explicit flag,
// and every action is rate limited and logged. The sources (live/cluster,
// live/docker) never import remediation: they only read.
package remediate
