package baseline

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ErrUntrusted is wrapped by every signature verification failure.
var ErrUntrusted = errors.New("baseline signature not trusted")

// maxSignature bounds a signature file.
const maxSignature = 16 << 10

// Signer signs baselines with a private key.
type Signer struct {
	key crypto.Signer
}

// LoadSigner parses a PEM private key: PKCS#8 ed25519 (as made by
// `openssl genpkey -algorithm ed25519` or GenerateKey) or ECDSA P-256.
// Encrypted cosign keys are not read here: sign with `cosign sign-blob`
// instead, which produces the same signature format.
func LoadSigner(pemData []byte) (*Signer, error) {
	b, _ := pem.Decode(pemData)
	if b == nil {
		return nil, errors.New("load signing key: no PEM block")
	}
	if strings.Contains(b.Type, "ENCRYPTED") {
		return nil, fmt.Errorf("load signing key: %s is encrypted; sign with cosign sign-blob and verify with its public key", strings.ToLower(b.Type))
	}
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		if ek, err2 := x509.ParseECPrivateKey(b.Bytes); err2 == nil {
			return &Signer{key: ek}, nil
		}
		return nil, fmt.Errorf("load signing key: %w", err)
	}
	switch k := k.(type) {
	case ed25519.PrivateKey:
		return &Signer{key: k}, nil
	case *ecdsa.PrivateKey:
		return &Signer{key: k}, nil
	}
	return nil, fmt.Errorf("load signing key: unsupported key type %T", k)
}

// Sign returns the base64 signature of a baseline file's bytes.
func (s *Signer) Sign(data []byte) ([]byte, error) {
	var sig []byte
	var err error
	switch k := s.key.(type) {
	case ed25519.PrivateKey:
		sig = ed25519.Sign(k, data)
	case *ecdsa.PrivateKey:
		sum := sha256.Sum256(data)
		sig, err = ecdsa.SignASN1(rand.Reader, k, sum[:])
	}
	if err != nil {
		return nil, fmt.Errorf("sign baseline: %w", err)
	}
	return []byte(base64.StdEncoding.EncodeToString(sig)), nil
}

// Verifier checks baseline signatures with a public key.
type Verifier struct {
	key crypto.PublicKey
	// KeyID identifies the key in the generation state file.
	KeyID string
}

// LoadVerifier parses a PEM public key (PKIX "PUBLIC KEY"): ed25519, or
// ECDSA P-256 as in cosign.pub.
func LoadVerifier(pemData []byte) (*Verifier, error) {
	b, _ := pem.Decode(pemData)
	if b == nil || b.Type != "PUBLIC KEY" {
		return nil, errors.New("load public key: no PUBLIC KEY PEM block")
	}
	k, err := x509.ParsePKIXPublicKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("load public key: %w", err)
	}
	switch k.(type) {
	case ed25519.PublicKey, *ecdsa.PublicKey:
	default:
		return nil, fmt.Errorf("load public key: unsupported key type %T", k)
	}
	id := sha256.Sum256(b.Bytes)
	return &Verifier{key: k, KeyID: hex.EncodeToString(id[:16])}, nil
}

// Verify checks a base64 signature of data. Only a positive check returns
// nil.
func (v *Verifier) Verify(data, sigText []byte) error {
	c, err := v.start(sigText)
	if err != nil {
		return err
	}
	c.Write(data)
	return c.check()
}

// sigCheck hashes a message as it is written and then checks one
// signature of it.
type sigCheck struct {
	io.Writer
	check func() error
}

// start decodes a base64 signature and returns the check of the message
// written to it: ed25519 over the message (streamed, see ed25519Stream), or
// ECDSA over its SHA-256.
func (v *Verifier) start(sigText []byte) (*sigCheck, error) {
	if len(sigText) > maxSignature {
		return nil, fmt.Errorf("%w: signature file too large", ErrUntrusted)
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(sigText)))
	if err != nil || len(sig) == 0 {
		return nil, fmt.Errorf("%w: signature is not base64", ErrUntrusted)
	}
	fail := fmt.Errorf("%w: signature does not match the baseline and key", ErrUntrusted)
	switch k := v.key.(type) {
	case ed25519.PublicKey:
		s := newEd25519Stream(k, sig)
		return &sigCheck{Writer: s, check: func() error {
			if !s.valid() {
				return fail
			}
			return nil
		}}, nil
	case *ecdsa.PublicKey:
		h := sha256.New()
		return &sigCheck{Writer: h, check: func() error {
			if !ecdsa.VerifyASN1(k, h.Sum(nil), sig) {
				return fail
			}
			return nil
		}}, nil
	}
	return nil, fmt.Errorf("%w: unsupported key type %T", ErrUntrusted, v.key)
}

// GenerateKey makes a new ed25519 key pair as PEM (PKCS#8 private key, PKIX
// public key).
func GenerateKey() (private, public []byte, err error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("generate key: %w", err)
	}
	pk, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, nil, fmt.Errorf("generate key: %w", err)
	}
	pb, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, nil, fmt.Errorf("generate key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pk}),
		pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pb}), nil
}
