package registry

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// manifestAccept lists the manifest media types the client accepts.
var manifestAccept = []string{
	string(types.OCIManifestSchema1), string(types.OCIImageIndex),
	string(types.DockerManifestSchema2), string(types.DockerManifestList),
}

// document is a manifest or an index. Both shapes are decoded into one
// struct so that a body claiming to be both is seen and rejected
// (CVE-2021-41190, RELIABILITY.md case 28).
type document struct {
	SchemaVersion int               `json:"schemaVersion"`
	MediaType     string            `json:"mediaType"`
	ArtifactType  string            `json:"artifactType"`
	Config        *v1.Descriptor    `json:"config"`
	Layers        []v1.Descriptor   `json:"layers"`
	Manifests     []v1.Descriptor   `json:"manifests"`
	Subject       *v1.Descriptor    `json:"subject"`
	Annotations   map[string]string `json:"annotations"`
}

// isIndex reports whether the document is an image index.
func (d *document) isIndex() bool { return d.Manifests != nil }

// sha256Digest returns "sha256:<hex>" of b.
func sha256Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// checkDigest compares the digest of body with want ("sha256:<hex>").
func checkDigest(body []byte, want string) error {
	if got := sha256Digest(body); got != want {
		return fmt.Errorf("body hashes to %s, not %s: %w", got, want, ErrDigestMismatch)
	}
	return nil
}

// parseDocument decodes a manifest or index body, rejecting ambiguous,
// malformed and over-long documents. contentType is the response header;
// it may be empty.
func parseDocument(body []byte, contentType string, lim Limits) (*document, error) {
	var d document
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("parse manifest: %w: %w", ErrMalformed, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("parse manifest: trailing data: %w", ErrMalformed)
	}
	if d.SchemaVersion != 2 {
		return nil, fmt.Errorf("manifest schemaVersion %d is not 2: %w", d.SchemaVersion, ErrMalformed)
	}
	if d.Manifests != nil && (d.Layers != nil || d.Config != nil) {
		return nil, fmt.Errorf("document has both manifests and layers/config: %w", ErrMalformed)
	}
	ct, _, _ := mime.ParseMediaType(contentType)
	if d.MediaType != "" && ct != "" && d.MediaType != ct {
		return nil, fmt.Errorf("mediaType %q differs from Content-Type %q: %w", d.MediaType, ct, ErrMalformed)
	}
	if mt := types.MediaType(d.MediaType); mt != "" && mt.IsIndex() != d.isIndex() {
		return nil, fmt.Errorf("mediaType %q does not match the document's shape: %w", d.MediaType, ErrMalformed)
	}
	if len(d.Layers) > lim.Layers {
		return nil, fmt.Errorf("manifest has %d layers, more than %d: %w", len(d.Layers), lim.Layers, ErrLimitExceeded)
	}
	if len(d.Manifests) > lim.IndexManifests {
		return nil, fmt.Errorf("index has %d manifests, more than %d: %w", len(d.Manifests), lim.IndexManifests, ErrLimitExceeded)
	}
	for _, l := range d.Layers {
		if l.Size < 0 {
			return nil, fmt.Errorf("layer %s has negative size: %w", l.Digest, ErrMalformed)
		}
	}
	return &d, nil
}
