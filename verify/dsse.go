package verify

import (
	"encoding/base64"
	"fmt"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"
)

// InTotoPayloadType is the DSSE payload type of in-toto statements.
const InTotoPayloadType = "application/vnd.in-toto+json"

// maxEnvelopeSignatures bounds the signatures tried per envelope.
const maxEnvelopeSignatures = 16

// OpenEnvelope parses a DSSE envelope, checks that a trusted key signed its
// pre-authentication encoding (PAE) and that it carries an in-toto
// statement, and returns the verified payload. Nothing of the payload is
// used before the signature has been verified.
func OpenEnvelope(raw []byte, keys []Key) ([]byte, Key, error) {
	var env dsse.Envelope
	if err := decodeOne(raw, &env); err != nil {
		return nil, Key{}, fmt.Errorf("parse DSSE envelope: %w: %w", ErrVerification, err)
	}
	if len(env.Signatures) == 0 {
		return nil, Key{}, fmt.Errorf("DSSE envelope has no signatures: %w", ErrVerification)
	}
	if len(env.Signatures) > maxEnvelopeSignatures {
		return nil, Key{}, fmt.Errorf("DSSE envelope has %d signatures, more than %d: %w", len(env.Signatures), maxEnvelopeSignatures, ErrLimitExceeded)
	}
	body, err := env.DecodeB64Payload()
	if err != nil {
		return nil, Key{}, fmt.Errorf("DSSE payload is not base64: %w", ErrVerification)
	}
	pae := dsse.PAE(env.PayloadType, body)
	var lastErr error
	for _, s := range env.Signatures {
		sig, err := base64.StdEncoding.DecodeString(s.Sig)
		if err != nil {
			lastErr = fmt.Errorf("DSSE signature is not base64: %w", ErrVerification)
			continue
		}
		k, err := verifyAny(keys, sig, pae)
		if err != nil {
			lastErr = err
			continue
		}
		// The type is covered by the signature; check it only now.
		if env.PayloadType != InTotoPayloadType {
			return nil, Key{}, fmt.Errorf("DSSE payload type is %q, want %q: %w", env.PayloadType, InTotoPayloadType, ErrVerification)
		}
		return body, k, nil
	}
	return nil, Key{}, lastErr
}
