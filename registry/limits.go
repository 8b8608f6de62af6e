package registry

import (
	"fmt"
	"time"
)

// Limits bound what a registry can make the verifier read or wait for
// (RELIABILITY.md §9).
type Limits struct {
	// ManifestBytes caps one manifest or index body.
	ManifestBytes int64
	// AttachmentBytes caps one signature payload, DSSE envelope or bundle.
	AttachmentBytes int64
	// Signatures caps the signatures or attestations of one digest, and
	// Referrers the entries of one referrers index.
	Signatures, Referrers int
	// Layers caps the layers of a manifest, IndexManifests the manifests
	// of an index.
	Layers, IndexManifests int
	// RequestTimeout bounds one HTTP request including its body; Budget
	// bounds a whole Verify call.
	RequestTimeout, Budget time.Duration
	// Retries is how many times an idempotent GET is retried after a
	// network error, 429 or 5xx.
	Retries int
	// Workers is how many images are verified concurrently.
	Workers int
}

// DefaultLimits returns the defaults of RELIABILITY.md §9 for the CLI.
func DefaultLimits() Limits {
	return Limits{
		ManifestBytes:   4 << 20,
		AttachmentBytes: 16 << 20,
		Signatures:      50,
		Referrers:       50,
		Layers:          256,
		IndexManifests:  1024,
		RequestTimeout:  30 * time.Second,
		Budget:          5 * time.Minute,
		Retries:         3,
		Workers:         8,
	}
}

// validate rejects limits that would disable a bound.
func (l Limits) validate() error {
	if l.ManifestBytes <= 0 || l.AttachmentBytes <= 0 || l.Signatures <= 0 || l.Referrers <= 0 ||
		l.Layers <= 0 || l.IndexManifests <= 0 || l.RequestTimeout <= 0 || l.Budget <= 0 || l.Workers <= 0 || l.Retries < 0 {
		return fmt.Errorf("registry limits must all be positive: %+v", l)
	}
	return nil
}
