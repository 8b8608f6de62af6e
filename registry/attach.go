package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Cosign's classic scheme stores signatures and attestations of digest
// sha256:<hex> as images tagged sha256-<hex>.sig and sha256-<hex>.att in
// the image's repository, one layer per signature.
const (
	sigAnnotation     = "dev.cosignproject.cosign/signature"
	simpleSigningType = "application/vnd.dev.cosign.simplesigning.v1+json"
	dsseType          = "application/vnd.dsse.envelope.v1+json"
)

// attachment is one layer of a .sig or .att image, its blob fetched and
// checked against the layer digest.
type attachment struct {
	mediaType   string
	annotations map[string]string
	blob        []byte
}

// attachments fetches the layers of the cosign image tagged
// <digest-with-dash>.<suffix>. No such tag means none (nil, nil). More
// layers than Limits.Signatures is an error: the caller fails closed
// rather than check a subset (RELIABILITY.md case 45, fault F8).
func (c *Client) attachments(ctx context.Context, repo name.Repository, digest, suffix string) ([]attachment, error) {
	tag := strings.Replace(digest, ":", "-", 1) + "." + suffix
	res, err := c.get(ctx, repo, "manifests", tag, manifestAccept, c.lim.ManifestBytes)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", tag, err)
	}
	doc, err := parseDocument(res.body, res.contentType, c.lim)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tag, err)
	}
	if doc.isIndex() {
		return nil, fmt.Errorf("%s is an index, not a signature image: %w", tag, ErrMalformed)
	}
	if len(doc.Layers) > c.lim.Signatures {
		return nil, fmt.Errorf("%s holds %d entries, more than %d: %w", tag, len(doc.Layers), c.lim.Signatures, ErrLimitExceeded)
	}
	out := make([]attachment, 0, len(doc.Layers))
	for _, l := range doc.Layers {
		blob, err := c.blob(ctx, repo, l)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", tag, err)
		}
		out = append(out, attachment{mediaType: string(l.MediaType), annotations: l.Annotations, blob: blob})
	}
	return out, nil
}

// blob fetches a blob of at most Limits.AttachmentBytes and checks its
// size and digest against the descriptor while reading.
func (c *Client) blob(ctx context.Context, repo name.Repository, d v1.Descriptor) ([]byte, error) {
	if d.Digest.Algorithm != "sha256" {
		return nil, fmt.Errorf("blob digest %s: only sha256 is supported: %w", d.Digest, ErrMalformed)
	}
	if d.Size > c.lim.AttachmentBytes {
		return nil, fmt.Errorf("blob %s of %d bytes is over %d: %w", d.Digest, d.Size, c.lim.AttachmentBytes, ErrLimitExceeded)
	}
	res, err := c.get(ctx, repo, "blobs", d.Digest.String(), nil, d.Size)
	if err != nil {
		return nil, fmt.Errorf("fetch blob %s: %w", d.Digest, err)
	}
	if int64(len(res.body)) != d.Size {
		return nil, fmt.Errorf("blob %s has %d bytes, descriptor says %d: %w", d.Digest, len(res.body), d.Size, ErrDigestMismatch)
	}
	if err := checkDigest(res.body, d.Digest.String()); err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	return res.body, nil
}
