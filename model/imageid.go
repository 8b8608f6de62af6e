package model

import "strings"

// ImageID is an image identity as a container runtime reports it: a pod's
// status imageID ("docker-pullable://reg/app@sha256:…", "reg/app@sha256:…",
// "sha256:…") or a Docker image ID.
type ImageID struct {
	// Digest is the digest it names, "" when it names none that is valid.
	Digest string
	// Config is true when Digest is an image config digest (an image
	// without a repository digest, as dockershim reported it), which is
	// not comparable with a manifest digest.
	Config bool
}

// ParseImageID parses an image identity the way the runtimes write it. A
// scheme prefix is dropped; "name@digest" names a repository digest; a
// bare digest is a config digest. Anything else names no digest.
func ParseImageID(s string) ImageID {
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		if d := s[i+1:]; ValidDigest(d) {
			return ImageID{Digest: d}
		}
		return ImageID{}
	}
	if ValidDigest(s) {
		return ImageID{Digest: s, Config: true}
	}
	return ImageID{}
}

// ValidDigest reports whether d is "sha256:" and 64 lowercase hex digits.
func ValidDigest(d string) bool {
	hex, ok := strings.CutPrefix(d, "sha256:")
	if !ok || len(hex) != 64 {
		return false
	}
	for _, c := range hex {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
