package verify

import (
	"encoding/base64"
	"fmt"

	"github.com/sigstore/sigstore/pkg/signature/payload"
)

// SimpleSignature is one signature of cosign's classic scheme: a layer of
// the `sha256-<hex>.sig` image whose blob is a simple-signing payload and
// whose annotation holds the base64 signature over that blob.
type SimpleSignature struct {
	// Payload is the layer blob.
	Payload []byte
	// Signature is the annotation dev.cosignproject.cosign/signature.
	Signature string
}

// VerifySimpleSignature checks s with the trusted keys and that its payload
// names digest. It returns the key that verified. The signature is checked
// before the payload is parsed, so an attacker's bytes are parsed only when
// a trusted key signed them.
func VerifySimpleSignature(s SimpleSignature, keys []Key, digest string) (Key, error) {
	sig, err := base64.StdEncoding.DecodeString(s.Signature)
	if err != nil {
		return Key{}, fmt.Errorf("signature annotation is not base64: %w", ErrVerification)
	}
	k, err := verifyAny(keys, sig, s.Payload)
	if err != nil {
		return Key{}, err
	}
	if err := CheckSimpleSigningPayload(s.Payload, digest); err != nil {
		return Key{}, err
	}
	return k, nil
}

// CheckSimpleSigningPayload parses a simple-signing payload and checks that
// it is a cosign image signature for digest.
func CheckSimpleSigningPayload(b []byte, digest string) error {
	var p payload.SimpleContainerImage
	if err := decodeOne(b, &p); err != nil {
		return fmt.Errorf("parse signature payload: %w: %w", ErrVerification, err)
	}
	if p.Critical.Type != payload.CosignSignatureType {
		return fmt.Errorf("signature payload type is %q, want %q: %w", p.Critical.Type, payload.CosignSignatureType, ErrVerification)
	}
	if got := p.Critical.Image.DockerManifestDigest; got != digest {
		return fmt.Errorf("signature is for digest %q, not %s: %w", got, digest, ErrVerification)
	}
	return nil
}
