package model

import "time"

// ImageCheck is what a registry said about one declared image: the facts
// the registry rules (image-digest-not-found, tag-moved, image-unsigned,
// signature-invalid, provenance, vulnerability scan and rollback rules)
// judge. Package registry fills it; it never decides. A nil part was not
// looked at: the policy did not ask for it, or it could not be read (a
// Problem of kind ImageUnread then says why).
type ImageCheck struct {
	// Artifact is the image as declared, with where it was declared.
	Artifact Artifact
	// Subject names what the findings are about, e.g. "image
	// ghcr.io/acme/web:1.4"; "" means "image " + Artifact.Ref.
	Subject string
	// Object is the Kubernetes object that declares the image, when known.
	Object *ObjectRef

	// Previous is set when the image is a previous release that a rollback
	// would need (named with --previous, a release below the deployed tag,
	// or the image of a previous revision of a live workload): only whether
	// it still resolves and passes the signature policy is judged.
	Previous bool
	// Revision names what declares a previous image, e.g. "ReplicaSet
	// web-5d4f8", when it is a live workload's previous revision.
	Revision string

	// Digest is the digest the registry serves for the reference and
	// everything below was checked against; empty when not resolved.
	Digest string
	// Platforms lists the platform manifests of an index ("linux/amd64
	// sha256:..."); empty for a single manifest.
	Platforms []string
	// DigestMissing is set when the registry answered that the pinned
	// digest does not exist.
	DigestMissing bool
	// Gone is set when a previous release's reference no longer resolves.
	Gone bool
	// TagDigest is what the tag of a tag@digest reference names now; empty
	// when the reference has no tag or the tag is gone.
	TagDigest string
	// TagGone is set when the tag of a tag@digest reference no longer
	// exists.
	TagGone bool

	// Signatures are the signatures found for Digest.
	Signatures *Signatures
	// Attestations are the in-toto attestations found for Digest.
	Attestations *Attestations
	// Releases are the previous releases found below the image's tag; each
	// is also an ImageCheck of its own with Previous set.
	Releases *Releases
}

// Signatures are the signatures of one digest: cosign signatures in the
// digest's .sig tag and, with keyless identities, sigstore bundles among
// its referrers.
type Signatures struct {
	// Bundles is set when sigstore bundles among the referrers were
	// looked at too.
	Bundles bool
	// Found counts the signatures seen (up to the first that verifies).
	Found int
	// Verified is set when one of them verifies with the trusted keys or
	// identities.
	Verified bool
	// Errors say why each signature seen failed verification, in order.
	Errors []string
}

// Attestations are the in-toto attestations of one digest, verified with
// the trusted keys or identities.
type Attestations struct {
	// Total counts the attestations seen.
	Total int
	// Rejected say why each attestation that failed verification failed.
	Rejected []string
	// Types are the predicate types of the verified ones, sorted.
	Types []string
	// Provenance is the SLSA provenance found, when the policy asks for it.
	Provenance *ProvenanceFound
	// Scan is the vulnerability scan found, when the policy asks for one.
	Scan *ScanFound
}

// ProvenanceFound is the SLSA provenance among verified attestations.
type ProvenanceFound struct {
	// Want names what was looked for: "SLSA provenance" or a predicate
	// type.
	Want string
	// Found are the provenance predicates read.
	Found []Provenance
	// Rejected say why each provenance predicate that could not be read
	// was rejected.
	Rejected []string
}

// Provenance is what a SLSA provenance predicate says about a build.
type Provenance struct {
	PredicateType string
	BuilderID     string
	// Repository is the source repository URI without "git+" and ref.
	Repository string
	Commit     string
	Ref        string
}

// ScanFound is the vulnerability scan among verified attestations.
type ScanFound struct {
	// PredicateType is the scan predicate type looked for.
	PredicateType string
	// Newest is the newest scan read; nil when there is none.
	Newest *VulnScan
	// Rejected say why each scan predicate that could not be read was
	// rejected.
	Rejected []string
}

// VulnScan is one vulnerability scan result.
type VulnScan struct {
	// Scanner is the scanner URI or name.
	Scanner string
	// FinishedAt is when the scan finished; Age is how long before the
	// check that was.
	FinishedAt time.Time
	Age        time.Duration
	// Counts holds vulnerabilities by upper-case severity (CRITICAL, HIGH,
	// MEDIUM, LOW, UNKNOWN); nil when the scan carries no result that can
	// be read.
	Counts map[string]int
}

// Releases are the previous releases of an image: the semantic-version
// tags of its repository below its own tag.
type Releases struct {
	// NotVersion is set when the image's tag is not a version, so no
	// previous release can be found.
	NotVersion bool
	// Tags are the releases below the tag, highest first, as many as
	// asked for at most.
	Tags []string
}
