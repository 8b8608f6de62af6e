// Package registry checks image references against the OCI registries that
// serve them: it resolves each tag to a digest once, recomputes the digest
// of every manifest it reads and compares it with the pin, and then checks
// the cosign signatures and in-toto attestations attached to that digest
// against a Policy. What it finds is returned as rules.Finding values of the
// artifact, baseline and rollback rules, so the usual reporters render it.
//
// Registries are untrusted. Every read is bounded in bytes and counts
// (Limits), every request has a timeout and the whole run a budget; only
// idempotent GETs are retried. Credentials come from go-containerregistry's
// keychain (docker config, credential helpers) and are only ever sent to
// the registry host they belong to. Plain HTTP is used only for hosts named
// as insecure. A result is "verified" only when every configured check ran
// and passed; anything that could not be checked is a finding of
// rules.ImageCheckFailed, never a pass.
package registry
