package verify

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"fmt"

	"github.com/sigstore/sigstore/pkg/cryptoutils"
	"github.com/sigstore/sigstore/pkg/signature"
)

// Bounds on key material, which may come from a policy file written by
// someone else (RELIABILITY.md case 44).
const (
	maxKeyPEM  = 64 << 10
	maxRSABits = 8192
)

// Key is a trusted public key (cosign's PEM "PUBLIC KEY" format).
type Key struct {
	// Name identifies the key in messages (its file name).
	Name string
	v    signature.Verifier
}

// ParseKey parses one PEM public key. ECDSA, RSA (at most 8192 bits) and
// Ed25519 keys are accepted; signatures are checked over SHA-256 as cosign
// makes them.
func ParseKey(name string, pemBytes []byte) (Key, error) {
	if len(pemBytes) > maxKeyPEM {
		return Key{}, fmt.Errorf("key %s: larger than %d bytes: %w", name, maxKeyPEM, ErrLimitExceeded)
	}
	pub, err := cryptoutils.UnmarshalPEMToPublicKey(bytes.TrimSpace(pemBytes))
	if err != nil {
		return Key{}, fmt.Errorf("key %s: %w", name, err)
	}
	switch k := pub.(type) {
	case *ecdsa.PublicKey, ed25519.PublicKey:
	case *rsa.PublicKey:
		if k.N.BitLen() > maxRSABits {
			return Key{}, fmt.Errorf("key %s: RSA key of %d bits is over %d: %w", name, k.N.BitLen(), maxRSABits, ErrLimitExceeded)
		}
	default:
		return Key{}, fmt.Errorf("key %s: unsupported key type %T", name, pub)
	}
	v, err := signature.LoadVerifier(pub, crypto.SHA256)
	if err != nil {
		return Key{}, fmt.Errorf("key %s: %w", name, err)
	}
	return Key{Name: name, v: v}, nil
}

// Verify checks sig over msg.
func (k Key) Verify(sig, msg []byte) error {
	if k.v == nil {
		return fmt.Errorf("key %s not loaded: %w", k.Name, ErrVerification)
	}
	if err := k.v.VerifySignature(bytes.NewReader(sig), bytes.NewReader(msg)); err != nil {
		return fmt.Errorf("key %s: %w: %w", k.Name, ErrVerification, err)
	}
	return nil
}

// verifyAny returns the first key that verifies sig over msg.
func verifyAny(keys []Key, sig, msg []byte) (Key, error) {
	if len(keys) == 0 {
		return Key{}, fmt.Errorf("no trusted keys: %w", ErrVerification)
	}
	for _, k := range keys {
		if k.Verify(sig, msg) == nil {
			return k, nil
		}
	}
	return Key{}, fmt.Errorf("signature does not verify with any of %d trusted keys: %w", len(keys), ErrVerification)
}
