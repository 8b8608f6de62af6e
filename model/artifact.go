package model

import (
	"fmt"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
)

// Artifact is an image reference as declared, parsed into its parts.
//
// Parsing happens once, here, with go-containerregistry's reference grammar;
// rules look at the parsed fields and never at the raw string.
type Artifact struct {
	// Ref is the reference exactly as written.
	Ref string
	// Location is where the reference was written.
	Location Location

	// Registry and Repository are the parsed name, with Docker Hub defaults
	// applied (index.docker.io, library/).
	Registry   string
	Repository string
	// Tag is the tag as written, empty when the reference has none.
	Tag string
	// Digest is the pinned digest ("sha256:..."), empty when not pinned.
	Digest string
	// Err is set when Ref is not a valid image reference (for example it
	// still holds an unexpanded variable); the other parsed fields are then
	// empty.
	Err error
}

// NewArtifact parses ref and records where it was written.
func NewArtifact(ref string, loc Location) Artifact {
	a := Artifact{Ref: ref, Location: loc}
	s := strings.TrimSpace(ref)
	if s == "" {
		a.Err = fmt.Errorf("empty image reference")
		return a
	}
	if strings.ContainsAny(s, "${}") {
		a.Err = fmt.Errorf("image reference %q contains an unexpanded variable", ref)
		return a
	}
	base := s
	if i := strings.IndexByte(s, '@'); i >= 0 {
		d, err := name.NewDigest(s)
		if err != nil {
			a.Err = fmt.Errorf("parse image reference: %w", err)
			return a
		}
		a.Digest = d.DigestStr()
		base = s[:i]
	}
	t, err := name.NewTag(base, name.WithDefaultTag(""))
	if err != nil {
		a.Err = fmt.Errorf("parse image reference: %w", err)
		a.Digest = ""
		return a
	}
	a.Registry = t.RegistryStr()
	a.Repository = t.RepositoryStr()
	a.Tag = t.TagStr()
	return a
}

// Pinned reports whether the reference names a digest.
func (a Artifact) Pinned() bool { return a.Err == nil && a.Digest != "" }

// Latest reports whether the reference resolves the "latest" tag, explicitly
// or because no tag and no digest were given.
func (a Artifact) Latest() bool {
	if a.Err != nil || a.Digest != "" {
		return false
	}
	return a.Tag == "" || a.Tag == "latest"
}

// Name returns registry/repository, the reference without tag or digest.
func (a Artifact) Name() string {
	if a.Err != nil {
		return a.Ref
	}
	return a.Registry + "/" + a.Repository
}
