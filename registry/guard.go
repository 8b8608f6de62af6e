package registry

import (
	"fmt"
	"net/http"
	"strings"
)

// authHostsFor lists, per registry, the token hosts on another host name
// that may receive the registry's credentials. Docker Hub is the one
// well-known registry whose auth realm lives elsewhere.
var authHostsFor = map[string][]string{
	"index.docker.io": {"auth.docker.io"},
}

// guard is the innermost RoundTripper under go-containerregistry's auth
// transport. It enforces two rules the library leaves to its caller:
//
//   - plain HTTP only to hosts named as insecure (the library itself
//     falls back to HTTP for loopback and private addresses);
//   - credentials only to the registry's own host: the library sends the
//     registry's Basic credentials to whatever token realm the registry's
//     WWW-Authenticate names, even on another host. The guard removes the
//     Authorization header from any request to a host that is neither the
//     registry nor one of its known auth hosts, so the token request
//     continues anonymously (RELIABILITY.md guarantee 8, fault F7).
//
// Written by hand because go-containerregistry has no such option.
type guard struct {
	inner    http.RoundTripper
	registry string
	insecure map[string]bool
}

// RoundTrip implements http.RoundTripper.
func (g *guard) RoundTrip(req *http.Request) (*http.Response, error) {
	host := req.URL.Host
	if req.URL.Scheme != "https" && !g.insecure[host] {
		return nil, fmt.Errorf("%s://%s: %w (name the host with --insecure-registry)", req.URL.Scheme, host, ErrInsecure)
	}
	if req.Header.Get("Authorization") != "" && !g.mayAuth(host) {
		req = req.Clone(req.Context())
		req.Header.Del("Authorization")
	}
	return g.inner.RoundTrip(req)
}

// mayAuth reports whether credentials of the registry may go to host.
func (g *guard) mayAuth(host string) bool {
	if strings.EqualFold(host, g.registry) {
		return true
	}
	for _, h := range authHostsFor[g.registry] {
		if strings.EqualFold(host, h) {
			return true
		}
	}
	return false
}
