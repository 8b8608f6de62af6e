package registry

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/v1/mutate"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/verify"
)

const slsaV02 = `{"builder":{"id":"https://ci.example/builder"},"invocation":{"configSource":{"uri":"git+https://git.example/acme/shop@refs/heads/main","digest":{"sha1":"c0ffee"}}}}`

func vulnPred(finished time.Time, sev string) string {
	return `{"invocation":{},"scanner":{"uri":"pkg:github/aquasecurity/trivy","version":"0.50","db":{},"result":{"SchemaVersion":2,"Results":[{"Vulnerabilities":[{"VulnerabilityID":"CVE-1","Severity":"` +
		sev + `"}]}]}},"metadata":{"scanStartedOn":"` + finished.Format(time.RFC3339) + `","scanFinishedOn":"` + finished.Format(time.RFC3339) + `"}}`
}

// TestVerifyInMemory covers each rule against go-containerregistry's
// in-memory registry with signatures made in the test; the end-to-end
// tests repeat this with the real registry and cosign.
func TestVerifyInMemory(t *testing.T) {
	t.Parallel()
	host := memRegistry(t, nil)
	key, other := newSigner(t), newSigner(t)
	repo := host + "/shop/web"
	now := time.Now()

	good := pushRandom(t, repo+":v1")
	attachImage(t, repo, good, "sig", []mutate.Addendum{key.signLayer(t, good)})
	attachImage(t, repo, good, "att", []mutate.Addendum{key.attLayer(t, good, verify.SLSAProvenanceV02, slsaV02), key.attLayer(t, good, verify.CosignVulnV1, vulnPred(now, "LOW"))})

	_ = pushRandom(t, repo+":unsigned")
	badSig := pushRandom(t, repo+":badsig")
	attachImage(t, repo, badSig, "sig", []mutate.Addendum{other.signLayer(t, badSig)})
	replayed := pushRandom(t, repo+":replayed")
	attachImage(t, repo, replayed, "sig", []mutate.Addendum{key.signLayer(t, good)})

	onlyVuln := pushRandom(t, repo+":onlyvuln")
	attachImage(t, repo, onlyVuln, "sig", []mutate.Addendum{key.signLayer(t, onlyVuln)})
	attachImage(t, repo, onlyVuln, "att", []mutate.Addendum{key.attLayer(t, onlyVuln, verify.CosignVulnV1, vulnPred(now, "CRITICAL"))})

	stale := pushRandom(t, repo+":stale")
	attachImage(t, repo, stale, "sig", []mutate.Addendum{key.signLayer(t, stale)})
	attachImage(t, repo, stale, "att", []mutate.Addendum{key.attLayer(t, stale, verify.SLSAProvenanceV02, strings.Replace(slsaV02, "ci.example/builder", "laptop.example/me", 1)), key.attLayer(t, stale, verify.CosignVulnV1, vulnPred(now.Add(-30*24*time.Hour), "LOW"))})

	garbled := pushRandom(t, repo+":garbled") // case 41
	attachImage(t, repo, garbled, "sig", []mutate.Addendum{key.signLayer(t, garbled)})
	attachImage(t, repo, garbled, "att", []mutate.Addendum{
		key.rawAttLayer(t, "application/vnd.in-toto+json", []byte("{not json")),
		key.rawAttLayer(t, "text/plain", []byte(`{}`)),
		key.attLayer(t, good, verify.SLSAProvenanceV02, slsaV02), // about another digest
		key.attLayer(t, garbled, verify.CosignVulnV1, vulnPred(now, "LOW")),
	})

	moved := pushRandom(t, repo+":moving")
	pushRandom(t, repo+":moving") // the tag now names another image

	policy := Policy{
		Keys:              []string{key.pubPath},
		Attestations:      []string{"slsaprovenance", "vuln"},
		Provenance:        model.ProvenancePolicy{BuilderID: "https://ci.example/builder", SourceRepository: "https://git.example/acme/shop", Commit: "c0ffee"},
		MaxScanAge:        Duration(7 * 24 * time.Hour),
		SeverityThreshold: "high",
	}
	v := newTestVerifier(t, policy, nil, host)
	missing := "sha256:" + strings.Repeat("0", 64)
	tests := []struct {
		ref      string
		want     []string
		verified bool
	}{
		{repo + ":v1", nil, true},
		{repo + "@" + good, nil, true},
		{repo + ":v1@" + good, nil, true},
		{repo + "@" + missing, []string{"image-digest-not-found"}, false},
		{repo + ":moving@" + moved, []string{"tag-moved", "image-unsigned", "provenance-missing", "vulnerability-scan-missing"}, false},
		{repo + ":unsigned", []string{"image-unsigned", "provenance-missing", "vulnerability-scan-missing"}, false},
		{repo + ":badsig", []string{"signature-invalid", "provenance-missing", "vulnerability-scan-missing"}, false},
		{repo + ":replayed", []string{"signature-invalid", "provenance-missing", "vulnerability-scan-missing"}, false},
		{repo + ":onlyvuln", []string{"provenance-missing", "vulnerabilities-over-threshold"}, false},
		{repo + ":stale", []string{"provenance-mismatch", "vulnerability-scan-stale"}, false},
		{repo + ":garbled", []string{"signature-invalid", "provenance-missing"}, false},
		{"other.example/x@" + good, nil, false}, // not contacted: see trusted registries below
	}
	for _, tt := range tests[:len(tests)-1] {
		t.Run(tt.ref, func(t *testing.T) {
			r := verifyRef(t, v, tt.ref)
			if d := cmp.Diff(sorted(tt.want), ruleIDs(r)); d != "" {
				t.Errorf("rules (-want +got):\n%s\nfindings: %v", d, r.Findings)
			}
			if r.Verified != tt.verified {
				t.Errorf("Verified = %v, want %v", r.Verified, tt.verified)
			}
		})
	}
	t.Run("untrusted registry is not contacted", func(t *testing.T) {
		p := policy
		p.TrustedRegistries = []string{host + "/shop"}
		v := newTestVerifier(t, p, nil, host)
		r := verifyRef(t, v, "evil.invalid/x@"+good)
		if d := cmp.Diff([]string{"registry-not-allowed"}, ruleIDs(r)); d != "" {
			t.Errorf("rules (-want +got):\n%s", d)
		}
		if r := verifyRef(t, v, repo+":v1"); !r.Verified {
			t.Errorf("trusted image not verified: %v", r.Findings)
		}
	})
	t.Run("provenance mismatch shows expected and found", func(t *testing.T) {
		r := verifyRef(t, v, repo+":stale")
		msg := r.Findings[0].Message
		if !strings.Contains(msg, `expected "https://ci.example/builder"`) || !strings.Contains(msg, `found "https://laptop.example/me"`) {
			t.Errorf("message %q", msg)
		}
	})
}
