package registry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
)

// response is a fully read, bounded response body.
type response struct {
	body        []byte
	contentType string
	digest      string // Docker-Content-Digest header, if any
}

// get fetches /v2/<repo>/<kind>/<ref> with at most max body bytes. Only
// this idempotent GET is ever retried: on network errors, 429 and 5xx, with
// jittered backoff that honours Retry-After but never the caller's deadline.
func (c *Client) get(ctx context.Context, repo name.Repository, kind, ref string, accept []string, max int64) (*response, error) {
	rt, err := c.transport(ctx, repo)
	if err != nil {
		return nil, err
	}
	host := repo.RegistryStr()
	url := fmt.Sprintf("%s://%s/v2/%s/%s/%s", c.scheme(host), host, repo.RepositoryStr(), kind, ref)
	var last error
	for attempt := 0; attempt <= c.lim.Retries; attempt++ {
		resp, retryAfter, err := c.once(ctx, rt, url, accept, max)
		if err == nil {
			return resp, nil
		}
		last = err
		if !errors.Is(err, ErrUnreachable) || ctx.Err() != nil || attempt == c.lim.Retries {
			break
		}
		if err := sleep(ctx, backoff(attempt+1, retryAfter)); err != nil {
			break
		}
	}
	return nil, last
}

// once performs one GET under the per-request timeout, which covers the
// body too, so a registry dribbling bytes is cut off (fault F2).
func (c *Client) once(ctx context.Context, rt http.RoundTripper, url string, accept []string, max int64) (*response, time.Duration, error) {
	rctx, cancel := context.WithTimeout(ctx, c.lim.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: %w", url, err)
	}
	if len(accept) > 0 {
		req.Header.Set("Accept", strings.Join(accept, ", "))
	}
	client := &http.Client{Transport: rt}
	res, err := client.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: %w: %w", url, ErrUnreachable, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(res.Body, 4<<10))
		return nil, retryAfter(res.Header), &StatusError{Code: res.StatusCode, URL: url}
	}
	if res.ContentLength > max {
		return nil, 0, fmt.Errorf("GET %s: body of %d bytes is over %d: %w", url, res.ContentLength, max, ErrLimitExceeded)
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, max+1))
	if err != nil {
		return nil, 0, fmt.Errorf("GET %s: read body: %w: %w", url, ErrUnreachable, err)
	}
	if int64(len(body)) > max {
		return nil, 0, fmt.Errorf("GET %s: body is over %d bytes: %w", url, max, ErrLimitExceeded)
	}
	return &response{body: body, contentType: res.Header.Get("Content-Type"), digest: res.Header.Get("Docker-Content-Digest")}, 0, nil
}

// retryAfter reads a Retry-After header given in seconds.
func retryAfter(h http.Header) time.Duration {
	if s, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After"))); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return 0
}

// backoff returns the wait before retry attempt n (1-based): exponential
// from 200 ms with full jitter, at least Retry-After, at most 30 s.
func backoff(n int, retryAfter time.Duration) time.Duration {
	d := time.Duration(200<<min(n-1, 7)) * time.Millisecond
	d = d/2 + rand.N(d/2+1)
	d = max(d, retryAfter)
	return min(d, 30*time.Second)
}

// sleep waits d or until ctx ends; it refuses to start a wait that would
// outlive the deadline.
func sleep(ctx context.Context, d time.Duration) error {
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		return context.DeadlineExceeded
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryableTransportErr reports whether creating a transport may succeed
// on retry: not when the caller gave up or the host is refused outright.
func retryableTransportErr(ctx context.Context, err error) bool {
	return ctx.Err() == nil && !errors.Is(err, ErrInsecure)
}
