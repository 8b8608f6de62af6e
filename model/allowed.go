package model

import "strings"

// InRegistries reports whether a comes from one of the allowed registries
// ("ghcr.io") or registry/path prefixes ("ghcr.io/acme"). Matching is by
// path segment, so "ghcr.io/acme" does not allow "ghcr.io/acmeevil";
// "docker.io" means Docker Hub.
func (a Artifact) InRegistries(allowed []string) bool {
	full := a.Registry + "/" + a.Repository
	for _, e := range allowed {
		e = strings.TrimSuffix(strings.TrimSpace(e), "/")
		if e == "docker.io" {
			e = "index.docker.io"
		} else if strings.HasPrefix(e, "docker.io/") {
			e = "index.docker.io/" + strings.TrimPrefix(e, "docker.io/")
		}
		if full == e || strings.HasPrefix(full, e+"/") {
			return true
		}
	}
	return false
}
