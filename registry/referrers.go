package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
)

// bundleArtifactType is the artifact type of sigstore bundles stored as
// OCI 1.1 referrers (what `cosign sign --new-bundle-format` writes).
const bundleArtifactType = "application/vnd.dev.sigstore.bundle.v0.3+json"

// referrerBlobs returns the first layer of every referrer of digest whose
// artifact type is artifactType. It asks the OCI 1.1 referrers API and
// falls back to the referrers tag schema (tag sha256-<hex>) when the
// registry does not implement it. Each referrer manifest is fetched by
// digest, hashed, and must name digest as its subject. More matching
// referrers than Limits.Referrers is an error (fail closed, fault F8).
func (c *Client) referrerBlobs(ctx context.Context, repo name.Repository, digest, artifactType string) ([][]byte, error) {
	res, err := c.get(ctx, repo, "referrers", digest, []string{"application/vnd.oci.image.index.v1+json"}, c.lim.ManifestBytes)
	if errors.Is(err, ErrNotFound) {
		res, err = c.get(ctx, repo, "manifests", dashed(digest), manifestAccept, c.lim.ManifestBytes)
		if errors.Is(err, ErrNotFound) {
			return nil, nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("referrers of %s: %w", digest, err)
	}
	idx, err := parseDocument(res.body, "", c.lim)
	if err != nil {
		return nil, fmt.Errorf("referrers of %s: %w", digest, err)
	}
	var match []string
	for _, m := range idx.Manifests {
		if m.ArtifactType != artifactType {
			continue
		}
		if len(match) == c.lim.Referrers {
			// Counted before anything is fetched: fail closed, never check
			// a subset.
			return nil, fmt.Errorf("more than %d referrers of type %s for %s: %w", c.lim.Referrers, artifactType, digest, ErrLimitExceeded)
		}
		match = append(match, m.Digest.String())
	}
	var out [][]byte
	for _, ref := range match {
		b, err := c.referrerBlob(ctx, repo, ref, digest, artifactType)
		if err != nil {
			return nil, err
		}
		if b != nil {
			out = append(out, b)
		}
	}
	return out, nil
}

// referrerBlob fetches one referrer manifest and its first layer.
func (c *Client) referrerBlob(ctx context.Context, repo name.Repository, ref, subject, artifactType string) ([]byte, error) {
	res, err := c.get(ctx, repo, "manifests", ref, manifestAccept, c.lim.ManifestBytes)
	if err != nil {
		return nil, fmt.Errorf("referrer %s: %w", ref, err)
	}
	if err := checkDigest(res.body, ref); err != nil {
		return nil, fmt.Errorf("referrer %s: %w", ref, err)
	}
	doc, err := parseDocument(res.body, res.contentType, c.lim)
	if err != nil {
		return nil, fmt.Errorf("referrer %s: %w", ref, err)
	}
	if doc.Subject == nil || doc.Subject.Digest.String() != subject {
		return nil, fmt.Errorf("referrer %s is not about %s: %w", ref, subject, ErrMalformed)
	}
	if doc.ArtifactType != artifactType && (doc.Config == nil || string(doc.Config.MediaType) != artifactType) {
		return nil, fmt.Errorf("referrer %s is not of type %s: %w", ref, artifactType, ErrMalformed)
	}
	if len(doc.Layers) == 0 {
		return nil, nil
	}
	return c.blob(ctx, repo, doc.Layers[0])
}

// dashed turns "sha256:<hex>" into the tag form "sha256-<hex>".
func dashed(digest string) string { return strings.Replace(digest, ":", "-", 1) }
