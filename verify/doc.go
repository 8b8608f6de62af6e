// Package verify checks signatures and attestations of container images
// once their bytes have been fetched: cosign's simple-signing payloads and
// key-based signatures, DSSE envelopes carrying in-toto statements, SLSA
// provenance (v0.2 and v1) and vulnerability-scan predicates (cosign's
// vuln predicate, usually carrying a Trivy JSON report), and sigstore
// bundles checked against a trusted root.
//
// The package does no I/O. Every function takes bytes that the caller has
// already bounded, binds what it checks to the digest it is given, and
// fails closed: a parse error, an empty match set or an unknown type is an
// error, never a pass.
package verify
