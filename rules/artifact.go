package rules

import (
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// ImageNotPinned: a workload runs an image by tag rather than by digest.
var ImageNotPinned = &Rule{
	ID:          "image-not-pinned",
	Group:       Artifact,
	Severity:    High,
	Title:       "Image is not pinned by digest",
	Rationale:   "A tag is a movable pointer: the registry can serve different content under the same name tomorrow, so two instances of one declaration may run different builds and a rollback may not restore what ran before. Only a digest names one immutable image.",
	Remediation: "Pin the image by digest (name:tag@sha256:...); resolve it with `crane digest name:tag` and let your release tooling update it.",
	Principle:   principleArtifact,
	Reads:       Declarations,
	Check: func(p *Pass) {
		eachImage(p, func(w *model.Workload, c *model.Container) {
			a := c.Image
			switch {
			case a.Err != nil:
				p.Containerf(w, c, a.Location, "image %q cannot be checked: %v", a.Ref, a.Err)
			case !a.Pinned():
				msg := "image %q is not pinned by digest"
				if strings.EqualFold(c.PullPolicy, "Always") && a.Tag != "" {
					msg += "; imagePullPolicy Always fetches whatever the tag points to at every start"
				}
				p.Containerf(w, c, a.Location, msg, a.Ref)
			}
		})
	},
}

// ImageLatestTag: an image uses the latest tag, explicitly or implicitly.
var ImageLatestTag = &Rule{
	ID:          "image-latest-tag",
	Group:       Artifact,
	Severity:    High,
	Title:       "Image uses the latest tag",
	Rationale:   "\"latest\" is not a version: it moves with every push, so nothing records which build is deployed and there is no previous version to return to.",
	Remediation: "Reference a versioned tag and pin its digest (name:1.2.3@sha256:...).",
	Principle:   principleArtifact,
	Reads:       Declarations,
	Check: func(p *Pass) {
		report := func(a model.Artifact, f func(string, ...any)) {
			if !a.Latest() {
				return
			}
			if a.Tag == "" {
				f("image %q has no tag and no digest, so it means %s:latest", a.Ref, a.Ref)
			} else {
				f("image %q uses the latest tag", a.Ref)
			}
		}
		eachImage(p, func(w *model.Workload, c *model.Container) {
			report(c.Image, func(format string, args ...any) { p.Containerf(w, c, c.Image.Location, format, args...) })
		})
		for _, b := range p.File.Builds {
			for _, a := range b.Bases {
				report(a, func(format string, args ...any) { p.Buildf(b, a.Location, format, args...) })
			}
		}
	},
}

// RegistryNotAllowed: an image comes from a registry outside the allow-list.
var RegistryNotAllowed = &Rule{
	ID:          "registry-not-allowed",
	Group:       Artifact,
	Severity:    High,
	Title:       "Image comes from a registry that is not allowed",
	Rationale:   "Golden images are built, scanned and signed in a known pipeline and published to known registries; an image from anywhere else skipped all of that.",
	Remediation: "Publish the image through your build pipeline to an allowed registry, or add the registry to allowed-registries in .immutcheck.yaml.",
	Principle:   principleArtifact,
	Reads:       Declarations | Images,
	Check: func(p *Pass) {
		checkTrustedImages(p)
		allowed := p.Options.AllowedRegistries
		if len(allowed) == 0 {
			return
		}
		eachImage(p, func(w *model.Workload, c *model.Container) {
			if a := c.Image; a.Err == nil && !a.InRegistries(allowed) {
				p.Containerf(w, c, a.Location, "image %q comes from %s, which is not in allowed-registries %v", a.Ref, a.Registry, allowed)
			}
		})
		for _, b := range p.File.Builds {
			for _, a := range b.Bases {
				if a.Err == nil && !a.InRegistries(allowed) {
					p.Buildf(b, a.Location, "base image %q comes from %s, which is not in allowed-registries %v", a.Ref, a.Registry, allowed)
				}
			}
		}
	},
}

// BaseImageNotPinned: a build starts from a base image by tag.
var BaseImageNotPinned = &Rule{
	ID:          "base-image-not-pinned",
	Group:       Artifact,
	Severity:    High,
	Title:       "Base image is not pinned by digest",
	Rationale:   "A build FROM a tag is not reproducible: rebuilding the same commit can produce a different image, so the golden image is not deterministic and cannot be traced to its inputs.",
	Remediation: "Pin the base image by digest (FROM name:tag@sha256:...), or in Packer name a fixed source_ami or source_image instead of a filter or family, and update it deliberately, e.g. with Renovate or Dependabot.",
	Principle:   principleArtifact,
	Reads:       Declarations,
	Check: func(p *Pass) {
		for _, b := range p.File.Builds {
			for _, a := range b.Bases {
				switch {
				case a.Err != nil:
					p.Buildf(b, a.Location, "base image %q cannot be checked: %v", a.Ref, a.Err)
				case !a.Pinned():
					p.Buildf(b, a.Location, "base image %q is not pinned by digest", a.Ref)
				}
			}
			for _, m := range b.MachineImages {
				if m.Query {
					p.Buildf(b, m.Location, "%s %s selects the newest matching machine image at build time, not a fixed image ID", m.Field, m.Value)
				}
			}
		}
	},
}

// AddURLWithoutChecksum: a build downloads a remote file without verifying it.
var AddURLWithoutChecksum = &Rule{
	ID:          "add-url-without-checksum",
	Group:       Artifact,
	Severity:    High,
	Title:       "Build downloads a URL without a checksum",
	Rationale:   "Content behind a URL can change between builds; without a checksum the same Dockerfile builds different images and a compromised server goes unnoticed.",
	Remediation: "Add --checksum=sha256:<hash> to the ADD instruction (or download with curl and verify with sha256sum -c).",
	Principle:   principleArtifact,
	Reads:       Declarations,
	Check: func(p *Pass) {
		for _, b := range p.File.Builds {
			for _, f := range b.Fetches {
				if f.Checksum == "" {
					p.Buildf(b, f.Location, "ADD %s downloads without --checksum", f.URL)
				}
			}
		}
	},
}

// eachImage calls fn for every container of every workload that names an
// image.
func eachImage(p *Pass, fn func(*model.Workload, *model.Container)) {
	for _, w := range p.File.Workloads {
		for i := range w.Containers {
			if c := &w.Containers[i]; c.Image.Ref != "" || c.Image.Err != nil {
				fn(w, c)
			}
		}
	}
}

// The rules below judge what registries said about images
// (model.File.Images, filled by package registry); their checks are in
// image_*.go.

// ImageDigestNotFound: the pinned digest does not exist in the registry.
var ImageDigestNotFound = &Rule{
	ID:          "image-digest-not-found",
	Group:       Artifact,
	Severity:    High,
	Title:       "Pinned digest does not exist in the registry",
	Rationale:   "A digest the registry does not serve cannot be pulled: the next node that starts the workload fails, and the pin may be a typo or point at an image deleted on purpose.",
	Remediation: "Pin a digest the registry serves (`crane digest name:tag`), or restore the deleted image.",
	Principle:   principleArtifact,
	Reads:       Images,
	Check:       checkDigestNotFound,
}

// TagMoved: a tag@digest reference whose tag now names another digest.
var TagMoved = &Rule{
	ID:          "tag-moved",
	Group:       Artifact,
	Severity:    Medium,
	Title:       "Tag now points to another digest than the pin",
	Rationale:   "The tag and the digest in one reference disagree: readers trust the tag, nodes run the digest, and a fleet can run two builds under one name.",
	Remediation: "Update the pin to the digest the tag names now if that build is intended, or re-point the tag; never move a release tag.",
	Principle:   principleArtifact,
	Reads:       Images,
	Check:       checkTagMoved,
}

// ImageUnsigned: no signature satisfies the policy.
var ImageUnsigned = &Rule{
	ID:          "image-unsigned",
	Group:       Artifact,
	Severity:    High,
	Title:       "Image has no signature that satisfies the policy",
	Rationale:   "Without a signature from a trusted key or identity nothing proves the image came out of the build pipeline; anyone with push access could have published it.",
	Remediation: "Sign the image digest in the build pipeline (`cosign sign --key ... name@sha256:...`) with a key or identity the policy trusts.",
	Principle:   principleArtifact,
	Reads:       Images,
	Check:       checkUnsigned,
}

// SignatureInvalid: a signature exists but fails verification.
var SignatureInvalid = &Rule{
	ID:          "signature-invalid",
	Group:       Artifact,
	Severity:    Critical,
	Title:       "Signature or attestation fails verification",
	Rationale:   "A signature that does not verify is either corrupt or forged; a signed payload bound to another digest is being replayed. Either way the image must not be trusted.",
	Remediation: "Find out who attached the signature; re-sign the digest from the pipeline and remove the bad signature.",
	Principle:   principleArtifact,
	Reads:       Images,
	Locked:      "a forged or broken signature must never pass",
	Check:       checkSignatureInvalid,
}
