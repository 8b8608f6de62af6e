package cluster

import (
	"strings"
)

// imageID is a container status's imageID, parsed. Runtimes write it in
// several forms:
//
//   - containerd and CRI-O: "docker.io/library/nginx@sha256:..." — the
//     repository digest, the digest of the manifest (or index) the image
//     was pulled by, the same kind of digest an image@sha256:... pin names;
//   - dockershim and cri-dockerd: "docker-pullable://nginx@sha256:..." —
//     also a repository digest, behind a scheme;
//   - dockershim for an image with no repository digest (built or loaded
//     locally): "docker://sha256:..." or plain "sha256:..." — the image's
//     config digest (its image ID), which cannot be compared with a
//     manifest digest at all.
//
// kwok and pods that have not started leave it empty.
type imageID struct {
	// digest is "sha256:<64 hex>"; empty when the ID is empty or not
	// understood.
	digest string
	// config is true when digest is a config digest (image ID), not a
	// repository (manifest) digest.
	config bool
}

// parseImageID reads a status imageID. Anything that is not one of the
// forms above yields the zero imageID: nothing to compare.
func parseImageID(s string) imageID {
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		if d := s[i+1:]; validDigest(d) {
			return imageID{digest: d}
		}
		return imageID{}
	}
	if validDigest(s) {
		return imageID{digest: s, config: true}
	}
	return imageID{}
}

// validDigest reports whether d is "sha256:" and 64 lower-case hex digits.
func validDigest(d string) bool {
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
