package registry

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// ClientOptions configure how registries are reached.
type ClientOptions struct {
	// Keychain resolves credentials per registry; nil means
	// authn.DefaultKeychain (docker config and credential helpers).
	Keychain authn.Keychain
	// Insecure lists registry hosts ("host:port") that may be reached over
	// plain HTTP. No other host ever is.
	Insecure []string
	// Limits bound every read; the zero value means DefaultLimits().
	Limits Limits
	// Transport is the base HTTP transport; nil means a clone of
	// http.DefaultTransport. Tests inject fault proxies here.
	Transport http.RoundTripper
}

// Client talks to registries: one authenticated transport per repository,
// bounded and retried GETs.
type Client struct {
	keychain authn.Keychain
	insecure map[string]bool
	lim      Limits
	base     http.RoundTripper

	mu  sync.Mutex
	rts map[string]http.RoundTripper // by repository name
}

// NewClient checks the options and returns a Client.
func NewClient(o ClientOptions) (*Client, error) {
	c := &Client{keychain: o.Keychain, insecure: map[string]bool{}, lim: o.Limits, base: o.Transport, rts: map[string]http.RoundTripper{}}
	if c.keychain == nil {
		c.keychain = authn.DefaultKeychain
	}
	if c.lim == (Limits{}) {
		c.lim = DefaultLimits()
	}
	if err := c.lim.validate(); err != nil {
		return nil, err
	}
	for _, h := range o.Insecure {
		if _, err := name.NewRegistry(h, name.StrictValidation); err != nil {
			return nil, fmt.Errorf("insecure registry %q: %w", h, err)
		}
		c.insecure[h] = true
	}
	if c.base == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
		t.ResponseHeaderTimeout = c.lim.RequestTimeout
		t.MaxIdleConnsPerHost = 32
		c.base = t
	}
	return c, nil
}

// Limits returns the limits in force.
func (c *Client) Limits() Limits { return c.lim }

// scheme returns the URL scheme for a registry host.
func (c *Client) scheme(host string) string {
	if c.insecure[host] {
		return "http"
	}
	return "https"
}

// transport returns the authenticated transport for repo, creating it (and
// pinging the registry) on first use.
func (c *Client) transport(ctx context.Context, repo name.Repository) (http.RoundTripper, error) {
	key := repo.Name()
	c.mu.Lock()
	rt := c.rts[key]
	c.mu.Unlock()
	if rt != nil {
		return rt, nil
	}
	auth, err := c.keychain.Resolve(repo)
	if err != nil {
		return nil, fmt.Errorf("credentials for %s: %w", repo.RegistryStr(), err)
	}
	reg := repo.Registry
	if c.insecure[reg.RegistryStr()] {
		reg, _ = name.NewRegistry(reg.RegistryStr(), name.Insecure)
	}
	g := &guard{inner: c.base, registry: reg.RegistryStr(), insecure: c.insecure}
	var last error
	for attempt := 0; attempt <= c.lim.Retries; attempt++ {
		if attempt > 0 {
			if err := sleep(ctx, backoff(attempt, 0)); err != nil {
				break
			}
		}
		pctx, cancel := context.WithTimeout(ctx, c.lim.RequestTimeout)
		rt, last = transport.NewWithContext(pctx, reg, auth, g, []string{repo.Scope(transport.PullScope)})
		cancel()
		if last == nil {
			c.mu.Lock()
			c.rts[key] = rt
			c.mu.Unlock()
			return rt, nil
		}
		if !retryableTransportErr(ctx, last) {
			break
		}
	}
	return nil, fmt.Errorf("contact %s: %w: %w", reg.RegistryStr(), ErrUnreachable, last)
}
