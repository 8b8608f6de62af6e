package rules

import (
	"strings"
	"time"

	"github.com/immutcheck/immutcheck/model"
)

// RegistryOptions are what the registry policy (the registry: section of
// .immutcheck.yaml and the registry flags) expects of images. Whether a
// signature, a provenance or a scan is required at all shows in the facts:
// package registry looks only for what the policy requires.
type RegistryOptions struct {
	// Trusted, when not empty, lists the registries (or registry/path
	// prefixes) images checked against a registry may come from; images
	// from elsewhere are not contacted.
	Trusted []string
	// Provenance is what the SLSA provenance must say.
	Provenance model.ProvenancePolicy
	// MaxScanAge is the oldest vulnerability scan accepted; 0 accepts any.
	MaxScanAge time.Duration
	// SeverityThreshold is the lowest scanner severity that fails an image,
	// upper-case (CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN); "" compares none.
	SeverityThreshold string
	// PreviousRevisions is how many earlier releases must exist below an
	// image's tag.
	PreviousRevisions int
}

// eachChecked calls fn for every image a registry was asked about as a
// deployed image (not a previous release), with a valid reference.
func eachChecked(p *Pass, fn func(*model.ImageCheck)) {
	for _, c := range p.File.Images {
		if !c.Previous && c.Artifact.Err == nil {
			fn(c)
		}
	}
}

// checkTrustedImages reports registry-not-allowed for checked images from
// registries the registry policy does not trust.
func checkTrustedImages(p *Pass) {
	trusted := p.Options.Registry.Trusted
	if len(trusted) == 0 {
		return
	}
	eachChecked(p, func(c *model.ImageCheck) {
		if a := c.Artifact; !a.InRegistries(trusted) {
			p.Imagef(c, "image %q comes from %s, which is not a trusted registry %v", a.Ref, a.Registry, trusted)
		}
	})
}

// checkDigestNotFound reports pinned digests the registry does not serve.
func checkDigestNotFound(p *Pass) {
	eachChecked(p, func(c *model.ImageCheck) {
		if c.DigestMissing {
			p.Imagef(c, "digest %s does not exist in %s", c.Artifact.Digest, c.Artifact.Name())
		}
	})
}

// checkTagMoved reports tag@digest references whose tag names another
// digest now, or is gone.
func checkTagMoved(p *Pass) {
	eachChecked(p, func(c *model.ImageCheck) {
		switch {
		case c.Digest == "":
		case c.TagGone:
			p.Imagef(c, "tag %s no longer exists; the pin %s is all that names this build", c.Artifact.Tag, c.Artifact.Digest)
		case c.TagDigest != "" && c.TagDigest != c.Digest:
			p.Imagef(c, "tag %s now points to %s, not to the pinned %s", c.Artifact.Tag, c.TagDigest, c.Digest)
		}
	})
}

// firstErrs joins up to three distinct reasons for a message.
func firstErrs(errs []string) string {
	var parts []string
	seen := map[string]bool{}
	for _, s := range errs {
		if !seen[s] && len(parts) < 3 {
			seen[s] = true
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "; ")
}
