package registry

import (
	"errors"
	"fmt"
)

// Errors callers branch on. Each is wrapped with context.
var (
	// ErrNotFound: the registry answered 404 for a manifest or blob.
	ErrNotFound = errors.New("not found")
	// ErrUnreachable: the registry could not be reached or kept failing
	// (network error, timeout, 5xx or 429 after retries).
	ErrUnreachable = errors.New("registry unreachable")
	// ErrDenied: the registry refused access (401, 403).
	ErrDenied = errors.New("access denied")
	// ErrLimitExceeded: a body or a count is over its Limits.
	ErrLimitExceeded = errors.New("limit exceeded")
	// ErrMalformed: a document the registry served is invalid or
	// ambiguous.
	ErrMalformed = errors.New("malformed document")
	// ErrDigestMismatch: a body does not hash to the digest it was
	// requested by or pinned to.
	ErrDigestMismatch = errors.New("digest mismatch")
	// ErrInsecure: plain HTTP to a host not named as insecure.
	ErrInsecure = errors.New("plain HTTP not allowed")
)

// StatusError is an unexpected HTTP status from a registry.
type StatusError struct {
	Code int
	URL  string
}

func (e *StatusError) Error() string { return fmt.Sprintf("GET %s: HTTP %d", e.URL, e.Code) }

// Is maps statuses onto the sentinel errors.
func (e *StatusError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.Code == 404
	case ErrDenied:
		return e.Code == 401 || e.Code == 403
	case ErrUnreachable:
		return e.Code == 429 || e.Code >= 500
	}
	return false
}

// isNotFound reports a 404 from the registry.
func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
