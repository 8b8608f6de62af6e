package registry

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
)

// Keyless verification is tested with an in-process sigstore (test CA,
// transparency log and timestamp authority from sigstore-go's testing
// helpers), since Fulcio and Rekor are not reachable from tests. Its
// trusted root is written as trusted_root.json and loaded through the
// policy like a real one.

const (
	testIssuer  = "https://token.ci.example"
	testSubject = "https://git.example/acme/shop/.github/workflows/release.yml@refs/heads/main"
)

func virtualSigstore(t *testing.T) (*ca.VirtualSigstore, string) {
	t.Helper()
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	// The helper keys its logs by hex ID but stores the hex string as the
	// raw ID; fix that so the JSON round trip keeps the IDs.
	rekor, ct := vs.RekorLogs(), vs.CTLogs()
	for _, logs := range []map[string]*root.TransparencyLog{rekor, ct} {
		for id, l := range logs {
			raw, err := hex.DecodeString(id)
			if err != nil {
				t.Fatal(err)
			}
			l.ID = raw
		}
	}
	tr, err := root.NewTrustedRoot(root.TrustedRootMediaType01, vs.FulcioCertificateAuthorities(), ct, vs.TimestampingAuthorities(), rekor)
	if err != nil {
		t.Fatal(err)
	}
	b, err := tr.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "trusted_root.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return vs, path
}

func TestKeylessVerifyEntity(t *testing.T) {
	t.Parallel()
	vs, rootPath := virtualSigstore(t)
	manifest := []byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}`)
	digest := sha256Digest(manifest)
	other := sha256Digest([]byte("another artifact"))
	good, err := vs.Sign(testSubject, testIssuer, manifest)
	if err != nil {
		t.Fatal(err)
	}
	mallory, err := vs.Sign("https://git.example/mallory/fork/.github/workflows/x.yml@refs/heads/main", testIssuer, manifest)
	if err != nil {
		t.Fatal(err)
	}
	otherIssuer, err := vs.Sign(testSubject, "https://evil.example", manifest)
	if err != nil {
		t.Fatal(err)
	}
	forOther, err := vs.Sign(testSubject, testIssuer, []byte("another artifact"))
	if err != nil {
		t.Fatal(err)
	}
	exact := []Identity{{Issuer: testIssuer, Subject: testSubject}}
	regexp := []Identity{{Issuer: testIssuer, SubjectRegExp: `https://git\.example/acme/.+`}}
	tests := []struct {
		name   string
		ids    []Identity
		entity interface{ Version() (string, error) }
		digest string
		ok     bool
	}{
		{"exact identity", exact, good, digest, true},
		{"regexp identity", regexp, good, digest, true},
		{"other subject", exact, mallory, digest, false},
		{"other subject vs regexp", regexp, mallory, digest, false},
		{"other issuer", exact, otherIssuer, digest, false},
		{"log entry for another artifact (case 38)", exact, forOther, digest, false},
		{"valid bundle, other image digest", exact, good, other, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			kl, _, err := compileKeyless(tt.ids, rootPath)
			if err != nil {
				t.Fatal(err)
			}
			err = kl.verifyEntity(tt.entity.(*ca.TestEntity), tt.digest)
			if (err == nil) != tt.ok {
				t.Fatalf("verify: err = %v, want ok %v", err, tt.ok)
			}
		})
	}
	t.Run("root of another sigstore", func(t *testing.T) {
		t.Parallel()
		_, otherRoot := virtualSigstore(t)
		kl, _, err := compileKeyless(exact, otherRoot)
		if err != nil {
			t.Fatal(err)
		}
		if err := kl.verifyEntity(good, digest); err == nil {
			t.Fatal("bundle verified against an unrelated trusted root")
		}
	})
	t.Run("garbage bundle", func(t *testing.T) {
		t.Parallel()
		kl, _, _ := compileKeyless(exact, rootPath)
		for _, b := range []string{"", "{}", `{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}`, strings.Repeat("[", 10000)} {
			if err := kl.verifySignatureBundle([]byte(b), digest); err == nil {
				t.Errorf("bundle %.20q verified", b)
			}
		}
	})
	t.Run("match-all regexp warns", func(t *testing.T) {
		t.Parallel()
		_, warns, err := compileKeyless([]Identity{{Issuer: testIssuer, SubjectRegExp: ".*"}}, rootPath)
		if err != nil || len(warns) != 1 {
			t.Fatalf("warnings %v, err %v", warns, err)
		}
	})
}
