package baseline

import (
	"crypto/ed25519"
	"crypto/sha512"
	"crypto/subtle"
	"hash"

	"filippo.io/edwards25519"
)

// ed25519Stream verifies a pure Ed25519 signature (RFC 8032) of a message
// that is written to it piece by piece, so that a baseline is verified
// while it is read instead of held in memory. crypto/ed25519 verifies only
// a message given whole; no library exposes the streamed check, so it is
// written here over filippo.io/edwards25519, the group implementation
// crypto/ed25519 uses itself. It is the same cofactorless check, proven
// equal to ed25519.Verify by FuzzEd25519Stream.
type ed25519Stream struct {
	pub []byte
	sig []byte
	h   hash.Hash
}

// newEd25519Stream starts verifying sig by pub: the message hash is
// SHA-512(R || A || M), R the first half of the signature and A the key.
func newEd25519Stream(pub ed25519.PublicKey, sig []byte) *ed25519Stream {
	s := &ed25519Stream{pub: pub, sig: sig, h: sha512.New()}
	if len(sig) == ed25519.SignatureSize {
		s.h.Write(sig[:32])
		s.h.Write(pub)
	}
	return s
}

func (s *ed25519Stream) Write(p []byte) (int, error) { return s.h.Write(p) }

// valid reports whether the signature holds for the message written:
// [S]B = R + [k]A, checked as R = [k](-A) + [S]B, with S canonical.
func (s *ed25519Stream) valid() bool {
	if len(s.pub) != ed25519.PublicKeySize || len(s.sig) != ed25519.SignatureSize || s.sig[63]&0xe0 != 0 {
		return false
	}
	a, err := new(edwards25519.Point).SetBytes(s.pub)
	if err != nil {
		return false
	}
	k, err := edwards25519.NewScalar().SetUniformBytes(s.h.Sum(nil))
	if err != nil {
		return false
	}
	sc, err := edwards25519.NewScalar().SetCanonicalBytes(s.sig[32:])
	if err != nil {
		return false
	}
	r := new(edwards25519.Point).VarTimeDoubleScalarBaseMult(k, new(edwards25519.Point).Negate(a), sc)
	return subtle.ConstantTimeCompare(r.Bytes(), s.sig[:32]) == 1
}
