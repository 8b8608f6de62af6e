package baseline

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func keys(t *testing.T) (*Signer, *Verifier, []byte) {
	t.Helper()
	priv, pub, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	s, err := LoadSigner(priv)
	if err != nil {
		t.Fatal(err)
	}
	v, err := LoadVerifier(pub)
	if err != nil {
		t.Fatal(err)
	}
	return s, v, pub
}

func TestSignVerify(t *testing.T) {
	t.Parallel()
	s, v, _ := keys(t)
	_, other, _ := keys(t)
	data := encode(t, Header{Generation: 1}, sample())
	sig, err := s.Sign(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Verify(data, sig); err != nil {
		t.Fatalf("good signature: %v", err)
	}
	tampered := append([]byte{}, data...)
	tampered[len(tampered)/2] ^= 1
	for name, tc := range map[string]struct {
		v         *Verifier
		data, sig []byte
	}{
		"tampered baseline": {v, tampered, sig},
		"other key":         {other, data, sig},
		"garbage signature": {v, data, []byte("!!!")},
		"empty signature":   {v, data, nil},
		"truncated":         {v, data, sig[:len(sig)/2]},
	} {
		if err := tc.v.Verify(tc.data, tc.sig); !errors.Is(err, ErrUntrusted) {
			t.Errorf("%s: Verify = %v, want ErrUntrusted", name, err)
		}
	}
}

// TestECDSAKeys: cosign key pairs are ECDSA P-256; signatures over the
// SHA-256 of the file, base64 encoded, verify with the PKIX public key.
func TestECDSAKeys(t *testing.T) {
	t.Parallel()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	pubDER, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	s, err := LoadSigner(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	if err != nil {
		t.Fatal(err)
	}
	v, err := LoadVerifier(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}))
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := s.Sign([]byte("baseline"))
	if err := v.Verify([]byte("baseline"), sig); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSigner([]byte("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n")); err == nil {
		t.Error("encrypted cosign key accepted without a password")
	}
}

// TestLoadTrust covers the decisions of Load: unsigned refused unless
// allowed, tampered refused always, an older signed generation refused
// (RELIABILITY F27).
func TestLoadTrust(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, v, _ := keys(t)
	state := filepath.Join(dir, "state", "generations.json")
	write := func(name string, gen uint64, sign bool) string {
		p := filepath.Join(dir, name)
		data := encode(t, Header{Generation: gen}, sample())
		if err := WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if sign {
			sig, _ := s.Sign(data)
			if err := WriteFile(p+".sig", sig, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	old, cur, unsigned := write("old", 5, true), write("cur", 9, true), write("unsigned", 10, false)

	if _, err := Load(unsigned, LoadOptions{StateFile: state}); !errors.Is(err, ErrUntrusted) {
		t.Errorf("unsigned without key: %v, want ErrUntrusted", err)
	}
	if _, err := Load(unsigned, LoadOptions{Verifier: v, StateFile: state}); !errors.Is(err, ErrUntrusted) {
		t.Errorf("unsigned with key: %v, want ErrUntrusted", err)
	}
	if b, err := Load(unsigned, LoadOptions{AllowUnsigned: true}); err != nil || b.Signed {
		t.Errorf("unsigned allowed: %v signed=%v", err, b != nil && b.Signed)
	}
	b, err := Load(cur, LoadOptions{Verifier: v, StateFile: state})
	if err != nil || !b.Signed || b.Header.Generation != 9 {
		t.Fatalf("current: %v", err)
	}
	if _, err := Load(old, LoadOptions{Verifier: v, StateFile: state}); !errors.Is(err, ErrRollback) {
		t.Errorf("older signed generation: %v, want ErrRollback", err)
	}
	if _, err := Load(old, LoadOptions{Verifier: v, StateFile: state, AllowUnsigned: true}); !errors.Is(err, ErrRollback) {
		t.Errorf("older signed generation with --allow-unsigned: %v, want ErrRollback", err)
	}
	// Tamper with the signed file: refused even with AllowUnsigned.
	data, _ := os.ReadFile(cur)
	data[len(data)-40] ^= 1
	os.WriteFile(cur, data, 0o644)
	if _, err := Load(cur, LoadOptions{Verifier: v, StateFile: state, AllowUnsigned: true}); !errors.Is(err, ErrUntrusted) {
		t.Errorf("tampered: %v, want ErrUntrusted", err)
	}
	// A damaged state file is an error, never a reset to generation 0.
	os.WriteFile(state, []byte("{"), 0o600)
	if _, err := Load(old, LoadOptions{Verifier: v, StateFile: state}); err == nil {
		t.Error("damaged state file accepted")
	}
}
