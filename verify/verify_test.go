package verify

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"testing"

	"github.com/secure-systems-lab/go-securesystemslib/dsse"
	"github.com/sigstore/sigstore/pkg/cryptoutils"
)

const testDigest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// testSigner is an ECDSA P-256 key like `cosign generate-key-pair` makes.
type testSigner struct {
	priv *ecdsa.PrivateKey
	key  Key
}

func newSigner(t testing.TB) testSigner {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pemBytes, err := cryptoutils.MarshalPublicKeyToPEM(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	k, err := ParseKey("test.pub", pemBytes)
	if err != nil {
		t.Fatal(err)
	}
	return testSigner{priv, k}
}

func (s testSigner) sign(t testing.TB, msg []byte) []byte {
	t.Helper()
	h := sha256.Sum256(msg)
	sig, err := ecdsa.SignASN1(rand.Reader, s.priv, h[:])
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// envelope signs payload as a DSSE envelope.
func (s testSigner) envelope(t testing.TB, payloadType string, payload []byte) []byte {
	t.Helper()
	sig := s.sign(t, dsse.PAE(payloadType, payload))
	b, err := json.Marshal(dsse.Envelope{PayloadType: payloadType, Payload: base64.StdEncoding.EncodeToString(payload),
		Signatures: []dsse.Signature{{Sig: base64.StdEncoding.EncodeToString(sig)}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func simplePayload(digest string) []byte {
	return fmt.Appendf(nil, `{"critical":{"identity":{"docker-reference":"r.example/app"},"image":{"docker-manifest-digest":%q},"type":"cosign container image signature"},"optional":null}`, digest)
}

func statement(predicateType, digest, predicate string) []byte {
	alg, hx, _ := cutDigest(digest)
	return fmt.Appendf(nil, `{"_type":"https://in-toto.io/Statement/v0.1","predicateType":%q,"subject":[{"name":"r.example/app","digest":{%q:%q}}],"predicate":%s}`, predicateType, alg, hx, predicate)
}

func cutDigest(d string) (string, string, bool) {
	for i := range d {
		if d[i] == ':' {
			return d[:i], d[i+1:], true
		}
	}
	return "", d, false
}

func TestVerifySimpleSignature(t *testing.T) {
	t.Parallel()
	s, other := newSigner(t), newSigner(t)
	good := simplePayload(testDigest)
	otherDigest := "sha256:" + fmt.Sprintf("%064x", 1)
	tests := []struct {
		name    string
		sig     SimpleSignature
		keys    []Key
		wantErr bool
	}{
		{"valid", SimpleSignature{good, base64.StdEncoding.EncodeToString(s.sign(t, good))}, []Key{s.key}, false},
		{"second key verifies", SimpleSignature{good, base64.StdEncoding.EncodeToString(s.sign(t, good))}, []Key{other.key, s.key}, false},
		{"untrusted key", SimpleSignature{good, base64.StdEncoding.EncodeToString(other.sign(t, good))}, []Key{s.key}, true},
		{"no keys", SimpleSignature{good, base64.StdEncoding.EncodeToString(s.sign(t, good))}, nil, true},
		{"payload for another digest", SimpleSignature{simplePayload(otherDigest), base64.StdEncoding.EncodeToString(s.sign(t, simplePayload(otherDigest)))}, []Key{s.key}, true},
		{"signature not base64", SimpleSignature{good, "%%%"}, []Key{s.key}, true},
		{"signed garbage", SimpleSignature{[]byte("not json"), base64.StdEncoding.EncodeToString(s.sign(t, []byte("not json")))}, []Key{s.key}, true},
		{"tampered payload", SimpleSignature{append([]byte(" "), good...), base64.StdEncoding.EncodeToString(s.sign(t, good))}, []Key{s.key}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := VerifySimpleSignature(tt.sig, tt.keys, testDigest)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrVerification) {
				t.Errorf("error %v does not wrap ErrVerification", err)
			}
		})
	}
}

func TestOpenEnvelopeAndStatement(t *testing.T) {
	t.Parallel()
	s, other := newSigner(t), newSigner(t)
	st := statement(SLSAProvenanceV02, testDigest, `{"builder":{"id":"b"}}`)
	tests := []struct {
		name     string
		env      []byte
		wantOpen bool
		wantStmt bool
	}{
		{"valid", s.envelope(t, InTotoPayloadType, st), true, true},
		{"untrusted signer", other.envelope(t, InTotoPayloadType, st), false, false},
		{"wrong payload type", s.envelope(t, "text/plain", st), false, false},
		{"payload does not parse", s.envelope(t, InTotoPayloadType, []byte("{not json")), true, false},
		{"statement about another digest", s.envelope(t, InTotoPayloadType, statement(SLSAProvenanceV02, "sha256:"+fmt.Sprintf("%064x", 7), `{}`)), true, false},
		{"not a statement", s.envelope(t, InTotoPayloadType, []byte(`{"_type":"x","predicateType":"y","subject":[]}`)), true, false},
		{"trailing data", s.envelope(t, InTotoPayloadType, append(st, []byte(" {}")...)), true, false},
		{"envelope garbage", []byte("\x00\x01"), false, false},
		{"no signatures", []byte(`{"payloadType":"application/vnd.in-toto+json","payload":"e30=","signatures":[]}`), false, false},
		{"bad base64 payload", []byte(`{"payloadType":"application/vnd.in-toto+json","payload":"!!!","signatures":[{"sig":"AAAA"}]}`), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			payload, _, err := OpenEnvelope(tt.env, []Key{s.key})
			if (err == nil) != tt.wantOpen {
				t.Fatalf("OpenEnvelope err = %v, want open %v", err, tt.wantOpen)
			}
			if err != nil {
				return
			}
			_, err = ParseStatement(payload, testDigest)
			if (err == nil) != tt.wantStmt {
				t.Fatalf("ParseStatement err = %v, want ok %v", err, tt.wantStmt)
			}
		})
	}
}

func TestParseKeyRejects(t *testing.T) {
	t.Parallel()
	for name, in := range map[string][]byte{
		"garbage":  []byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
		"empty":    nil,
		"too long": make([]byte, maxKeyPEM+1),
	} {
		if _, err := ParseKey(name, in); err == nil {
			t.Errorf("%s: ParseKey succeeded", name)
		}
	}
	var k Key
	if err := k.Verify([]byte("x"), []byte("y")); err == nil {
		t.Error("zero Key verified a signature")
	}
	_ = crypto.SHA256
}

func TestParseKeyRejectsHugeRSA(t *testing.T) { // RELIABILITY.md case 44
	t.Parallel()
	n, err := rand.Prime(rand.Reader, 64)
	if err != nil {
		t.Fatal(err)
	}
	n.Lsh(n, 16384-64).SetBit(n, 0, 1)
	der, err := x509.MarshalPKIXPublicKey(&rsa.PublicKey{N: n, E: 65537})
	if err != nil {
		t.Fatal(err)
	}
	p := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	if _, err := ParseKey("huge.pub", p); !errors.Is(err, ErrLimitExceeded) {
		t.Fatalf("16384-bit RSA key: err = %v, want ErrLimitExceeded", err)
	}
}
