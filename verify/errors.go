package verify

import "errors"

// ErrVerification is wrapped by every error that means "this signature or
// attestation does not prove what it claims": a bad signature, a payload
// bound to another digest, a payload that does not parse.
var ErrVerification = errors.New("verification failed")

// ErrLimitExceeded is wrapped when a document holds more items than the
// caller allows.
var ErrLimitExceeded = errors.New("limit exceeded")
