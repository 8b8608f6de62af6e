package verify

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// In-toto statement types accepted (cosign still writes v0.1).
const (
	StatementV01 = "https://in-toto.io/Statement/v0.1"
	StatementV1  = "https://in-toto.io/Statement/v1"
)

// maxSubjects bounds the subjects read from one statement.
const maxSubjects = 1024

// Statement is an in-toto statement with its predicate kept as raw JSON.
//
// Written by hand: in-toto-golang's StatementHeader is deprecated and the
// attestation protobuf bindings turn the predicate into a
// structpb.Struct, losing the raw bytes the predicate parsers decode.
type Statement struct {
	Type          string          `json:"_type"`
	PredicateType string          `json:"predicateType"`
	Subject       []Subject       `json:"subject"`
	Predicate     json.RawMessage `json:"predicate"`
}

// Subject is one artifact a statement is about.
type Subject struct {
	Name   string            `json:"name"`
	Digest map[string]string `json:"digest"`
}

// ParseStatement parses a verified DSSE payload as an in-toto statement and
// checks that one of its subjects is digest ("sha256:<hex>"). Subjects are
// matched by digest only, never by name.
func ParseStatement(payload []byte, digest string) (*Statement, error) {
	var s Statement
	if err := decodeOne(payload, &s); err != nil {
		return nil, fmt.Errorf("parse in-toto statement: %w: %w", ErrVerification, err)
	}
	if s.Type != StatementV01 && s.Type != StatementV1 {
		return nil, fmt.Errorf("statement type %q is not an in-toto statement: %w", s.Type, ErrVerification)
	}
	if s.PredicateType == "" {
		return nil, fmt.Errorf("statement has no predicate type: %w", ErrVerification)
	}
	if len(s.Subject) > maxSubjects {
		return nil, fmt.Errorf("statement has %d subjects, more than %d: %w", len(s.Subject), maxSubjects, ErrLimitExceeded)
	}
	if !s.covers(digest) {
		return nil, fmt.Errorf("statement of type %s is not about %s: %w", s.PredicateType, digest, ErrVerification)
	}
	return &s, nil
}

// covers reports whether a subject carries digest.
func (s *Statement) covers(digest string) bool {
	alg, want, ok := strings.Cut(digest, ":")
	if !ok || want == "" {
		return false
	}
	if _, err := hex.DecodeString(want); err != nil {
		return false
	}
	for _, sub := range s.Subject {
		if got, ok := sub.Digest[alg]; ok && strings.EqualFold(got, want) {
			return true
		}
	}
	return false
}
