package registry

import (
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// TestVerifyIndex checks that a multi-arch index is verified by the index
// digest the user pinned (signed as a whole, as cosign signs it) and that
// its platform manifests are reported.
func TestVerifyIndex(t *testing.T) {
	t.Parallel()
	host := memRegistry(t, nil)
	key := newSigner(t)
	var adds []mutate.IndexAddendum
	for _, p := range []v1.Platform{{OS: "linux", Architecture: "amd64"}, {OS: "linux", Architecture: "arm64", Variant: "v8"}} {
		img, err := random.Image(64, 1)
		if err != nil {
			t.Fatal(err)
		}
		adds = append(adds, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &p}})
	}
	idx := mutate.AppendManifests(empty.Index, adds...)
	ref, _ := name.ParseReference(host+"/multi:1.0.0", name.Insecure)
	if err := remote.WriteIndex(ref, idx); err != nil {
		t.Fatal(err)
	}
	h, _ := idx.Digest()
	d := h.String()
	attachImage(t, host+"/multi", d, "sig", []mutate.Addendum{key.signLayer(t, d)})
	r := verifyRef(t, newTestVerifier(t, Policy{Keys: []string{key.pubPath}}, nil, host), host+"/multi:1.0.0@"+d)
	if !r.Verified || r.Digest != d {
		t.Fatalf("index not verified: %+v", r)
	}
	if len(r.Platforms) != 2 || r.Platforms[0][:len("linux/amd64 sha256:")] != "linux/amd64 sha256:" || r.Platforms[1][:len("linux/arm64/v8")] != "linux/arm64/v8" {
		t.Errorf("platforms = %q", r.Platforms)
	}
}
