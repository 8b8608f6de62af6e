package baseline

import (
	"crypto/ed25519"
	"crypto/sha256"
	"testing"
)

// FuzzEd25519Stream: the streamed check accepts exactly what
// ed25519.Verify accepts, for any message split anywhere, and for
// signatures and keys mutated in any way.
func FuzzEd25519Stream(f *testing.F) {
	f.Add([]byte("seed"), []byte("a baseline"), uint16(3), uint16(0), byte(0), false)
	f.Add([]byte("seed"), []byte(""), uint16(0), uint16(63), byte(0x80), false)
	f.Add([]byte("seed"), []byte("message"), uint16(2), uint16(31), byte(1), true)
	f.Fuzz(func(t *testing.T, seed, msg []byte, split, at uint16, flip byte, mutateKey bool) {
		key := sha256.Sum256(seed)
		priv := ed25519.NewKeyFromSeed(key[:])
		pub := priv.Public().(ed25519.PublicKey)
		sig := ed25519.Sign(priv, msg)
		if mutateKey {
			pub = append(ed25519.PublicKey(nil), pub...)
			pub[int(at)%len(pub)] ^= flip
		} else {
			sig[int(at)%len(sig)] ^= flip
		}
		s := newEd25519Stream(pub, sig)
		cut := 0
		if len(msg) > 0 {
			cut = int(split) % (len(msg) + 1)
		}
		s.Write(msg[:cut])
		s.Write(msg[cut:])
		if got, want := s.valid(), ed25519.Verify(pub, msg, sig); got != want {
			t.Fatalf("streamed check %v, ed25519.Verify %v", got, want)
		}
	})
}

// TestEd25519StreamShortSignature: a signature of another length is
// refused without hashing anything out of bounds.
func TestEd25519StreamShortSignature(t *testing.T) {
	t.Parallel()
	_, priv, _ := ed25519.GenerateKey(nil)
	pub := priv.Public().(ed25519.PublicKey)
	sig := ed25519.Sign(priv, []byte("m"))
	for _, s := range [][]byte{nil, sig[:32], sig[:63], append(sig, 0)} {
		st := newEd25519Stream(pub, s)
		st.Write([]byte("m"))
		if st.valid() {
			t.Errorf("signature of %d bytes accepted", len(s))
		}
	}
}
