package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/immutcheck/immutcheck/model"
)

// Resolved is an image reference bound to the digest the registry serves.
type Resolved struct {
	// Repo is the repository the image lives in.
	Repo name.Repository
	// Digest is the pinned digest, or the digest the tag resolved to.
	// Everything downstream is bound to it.
	Digest string
	// MediaType of the manifest or index.
	MediaType string
	// Platforms lists the platform manifests of an index
	// ("linux/amd64 sha256:..."); empty for a single manifest.
	Platforms []string
	// TagDigest is what the tag of a tag@digest reference resolves to now;
	// empty when the reference has no tag or when the tag is gone.
	TagDigest string
	// TagGone is set when the tag of a tag@digest reference no longer
	// exists.
	TagGone bool
}

// Resolve binds a to a digest: a pinned reference is fetched by digest and
// its body hashed; a tag is resolved exactly once by fetching and hashing
// the manifest it names. For tag@digest, the tag is resolved too so that a
// moved tag can be reported.
func (c *Client) Resolve(ctx context.Context, a model.Artifact) (*Resolved, error) {
	if a.Err != nil {
		return nil, fmt.Errorf("parse reference: %w", a.Err)
	}
	repo, err := name.NewRepository(a.Registry+"/"+a.Repository, name.StrictValidation)
	if err != nil {
		return nil, fmt.Errorf("parse repository: %w: %w", ErrMalformed, err)
	}
	r := &Resolved{Repo: repo}
	ref := a.Digest
	if ref == "" {
		ref = a.Tag
		if ref == "" {
			ref = "latest"
		}
	} else if _, err := v1.NewHash(ref); err != nil || !strings.HasPrefix(ref, "sha256:") {
		return nil, fmt.Errorf("digest %q: only valid sha256 digests are supported: %w", ref, ErrMalformed)
	}
	res, err := c.get(ctx, repo, "manifests", ref, manifestAccept, c.lim.ManifestBytes)
	if err != nil {
		return nil, err
	}
	r.Digest = sha256Digest(res.body)
	if a.Digest != "" {
		if err := checkDigest(res.body, a.Digest); err != nil {
			return nil, fmt.Errorf("manifest %s: %w", a.Digest, err)
		}
	} else if res.digest != "" && res.digest != r.Digest {
		return nil, fmt.Errorf("tag %s: Docker-Content-Digest %s but body hashes to %s: %w", a.Tag, res.digest, r.Digest, ErrDigestMismatch)
	}
	doc, err := parseDocument(res.body, res.contentType, c.lim)
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", r.Digest, err)
	}
	r.MediaType = doc.MediaType
	if r.MediaType == "" {
		r.MediaType = res.contentType
	}
	for _, m := range doc.Manifests {
		p := "unknown platform"
		if m.Platform != nil {
			p = m.Platform.String()
		}
		r.Platforms = append(r.Platforms, p+" "+m.Digest.String())
	}
	if a.Digest != "" && a.Tag != "" {
		if err := c.resolveTag(ctx, repo, a.Tag, r); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// resolveTag records what the tag of a tag@digest reference names now.
func (c *Client) resolveTag(ctx context.Context, repo name.Repository, tag string, r *Resolved) error {
	res, err := c.get(ctx, repo, "manifests", tag, manifestAccept, c.lim.ManifestBytes)
	if errors.Is(err, ErrNotFound) {
		r.TagGone = true
		return nil
	}
	if err != nil {
		return fmt.Errorf("resolve tag %s: %w", tag, err)
	}
	r.TagDigest = sha256Digest(res.body)
	return nil
}
