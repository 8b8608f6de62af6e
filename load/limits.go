package load

import (
	"errors"
	"fmt"
	"io"
)

// Default limits, from RELIABILITY.md: the API server's 3 MiB object cap and
// a stream cap well above any real manifest.
const (
	DefaultMaxFileBytes   = 64 << 20
	DefaultMaxObjectBytes = 3 << 20
	DefaultMaxDocuments   = 10000
)

// Limits bound what one input may cost.
type Limits struct {
	// MaxFileBytes caps one file or stream.
	MaxFileBytes int64
	// MaxObjectBytes caps one document of a stream.
	MaxObjectBytes int64
	// MaxDocuments caps the documents in one stream.
	MaxDocuments int
}

// DefaultLimits returns the default limits.
func DefaultLimits() Limits {
	return Limits{MaxFileBytes: DefaultMaxFileBytes, MaxObjectBytes: DefaultMaxObjectBytes, MaxDocuments: DefaultMaxDocuments}
}

// TooLargeError is returned when an input exceeds a size limit.
type TooLargeError struct {
	What  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than the limit of %d bytes", e.What, e.Limit)
}

// ReadAll reads r up to limit bytes; more is a *TooLargeError, checked before
// anything is parsed.
func ReadAll(r io.Reader, limit int64, what string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{What: what, Limit: limit}
	}
	return data, nil
}

// IsTooLarge reports whether err is a size-limit error.
func IsTooLarge(err error) bool {
	var e *TooLargeError
	return errors.As(err, &e)
}
