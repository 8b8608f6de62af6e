// Package registry checks image references against the OCI registries that
// serve them: it resolves each tag to a digest once, recomputes the digest
// of every manifest it reads and compares it with the pin, and then reads
// the cosign signatures and in-toto attestations attached to that digest
// that a Policy asks for, and the previous releases it names. What it
// finds is returned as facts (model.ImageCheck); the rules of package
// rules decide what is wrong with them.
//
// Registries are untrusted. Every read is bounded in bytes and counts
// (Limits), every request has a timeout and the whole run a budget; only
// idempotent GETs are retried. Credentials come from go-containerregistry's
// keychain (docker config, credential helpers) and are only ever sent to
// the registry host they belong to. Plain HTTP is used only for hosts named
// as insecure. Registries the policy does not trust are never contacted.
// Anything that could not be checked is a model.Problem of kind
// model.ImageUnread (image-check-failed), never a pass.
package registry
