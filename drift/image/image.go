package image

import (
	"context"
	"fmt"
	"io"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/daemon"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/immutcheck/immutcheck/drift"
)

// maxLayers bounds the layers of one image (RELIABILITY, default limits).
const maxLayers = 256

// Remote reads an image from its registry, with credentials from the
// default keychain (docker config, credential helpers).
func Remote(ctx context.Context, ref string) (*drift.Snapshot, string, error) {
	r, err := name.ParseReference(ref)
	if err != nil {
		return nil, "", fmt.Errorf("parse image reference: %w", err)
	}
	img, err := remote.Image(r, remote.WithContext(ctx), remote.WithAuthFromKeychain(authn.DefaultKeychain))
	if err != nil {
		return nil, "", fmt.Errorf("fetch image %s: %w", r, err)
	}
	return Read(ctx, img)
}

// Daemon reads an image from the local Docker engine.
func Daemon(ctx context.Context, ref string) (*drift.Snapshot, string, error) {
	r, err := name.ParseReference(ref)
	if err != nil {
		return nil, "", fmt.Errorf("parse image reference: %w", err)
	}
	img, err := daemon.Image(r, daemon.WithContext(ctx))
	if err != nil {
		return nil, "", fmt.Errorf("read image %s from the docker engine: %w", r, err)
	}
	return Read(ctx, img)
}

// Read snapshots any image and returns its manifest digest.
func Read(ctx context.Context, img v1.Image) (*drift.Snapshot, string, error) {
	dg, err := img.Digest()
	if err != nil {
		return nil, "", fmt.Errorf("image digest: %w", err)
	}
	layers, err := img.Layers()
	if err != nil {
		return nil, "", fmt.Errorf("image layers: %w", err)
	}
	if len(layers) > maxLayers {
		return nil, "", fmt.Errorf("image has %d layers, more than %d", len(layers), maxLayers)
	}
	opens := make([]drift.Layer, len(layers))
	for i, l := range layers {
		// Uncompressed verifies the layer digest as the stream is read.
		opens[i] = func() (io.ReadCloser, error) { return l.Uncompressed() }
	}
	s, err := drift.ReadLayers(ctx, opens)
	if err != nil {
		return nil, "", err
	}
	return s, dg.String(), nil
}
