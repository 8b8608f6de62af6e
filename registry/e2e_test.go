package registry

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/immutcheck/immutcheck/internal/e2e"
	"github.com/immutcheck/immutcheck/model"
)

// End-to-end tests against the real distribution registry
// (scripts/setup/registry.sh) with signatures and attestations made by the
// real cosign CLI (scripts/setup/cosign.sh), so the verifier is proven
// against bytes it did not produce.

// e2eEnv is what the setup steps export.
type e2eEnv struct {
	registry, cosign string
	dir              string // key pairs and predicates
	key, otherKey    string // cosign.key paths; .pub next to them
}

var (
	e2eOnce sync.Once
	e2eVal  *e2eEnv
	e2eErr  error
)

// needE2E returns the environment; a missing component skips or fails the
// test as package e2e decides.
func needE2E(t *testing.T) *e2eEnv {
	t.Helper()
	reg := e2e.Registry(t)
	cos := e2e.Env(t, "IMMUTCHECK_COSIGN", "cosign CLI", "run scripts/setup/cosign.sh")
	e2eOnce.Do(func() { e2eVal, e2eErr = setupE2E(reg, cos) })
	if e2eErr != nil {
		t.Fatal(e2eErr)
	}
	return e2eVal
}

func setupE2E(reg, cos string) (*e2eEnv, error) {
	dir, err := os.MkdirTemp("", "immutcheck-e2e-")
	if err != nil {
		return nil, err
	}
	e := &e2eEnv{registry: reg, cosign: cos, dir: dir}
	for _, k := range []string{"main", "other"} {
		kd := filepath.Join(dir, k)
		if err := os.MkdirAll(kd, 0o700); err != nil {
			return nil, err
		}
		if out, err := e.run(kd, "generate-key-pair"); err != nil {
			return nil, fmt.Errorf("cosign generate-key-pair: %v\n%s", err, out)
		}
	}
	e.key, e.otherKey = filepath.Join(dir, "main", "cosign.key"), filepath.Join(dir, "other", "cosign.key")
	return e, nil
}

// run runs cosign in dir with an empty key password and no network
// services beyond the registry.
func (e *e2eEnv) run(dir string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.cosign, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "COSIGN_PASSWORD=", "HOME="+e.dir, "COSIGN_YES=true")
	return cmd.CombinedOutput()
}

func (e *e2eEnv) cosignT(t *testing.T, args ...string) {
	t.Helper()
	if out, err := e.run(e.dir, args...); err != nil {
		t.Fatalf("cosign %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// sign signs ref (by digest) with key, as a pipeline would.
func (e *e2eEnv) sign(t *testing.T, key, ref string) {
	e.cosignT(t, "sign", "--key", key, "--tlog-upload=false", "--allow-http-registry", "--yes", ref)
}

// attest attaches a predicate of cosign type typ to ref.
func (e *e2eEnv) attest(t *testing.T, key, ref, typ, predicate string) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "predicate.json")
	if err := os.WriteFile(f, []byte(predicate), 0o600); err != nil {
		t.Fatal(err)
	}
	e.cosignT(t, "attest", "--key", key, "--tlog-upload=false", "--allow-http-registry", "--yes", "--type", typ, "--predicate", f, ref)
}

// repo returns a fresh repository name on the real registry.
func (e *e2eEnv) repo(t *testing.T) string {
	b := make([]byte, 4)
	rand.Read(b)
	clean := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, strings.ToLower(t.Name()))
	return e.registry + "/e2e-" + hex.EncodeToString(b) + "/" + strings.Trim(clean, "-")
}

// deleteManifest deletes a manifest by digest from the real registry.
func deleteManifest(t *testing.T, ref string) {
	t.Helper()
	r, err := name.NewDigest(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Delete(r); err != nil {
		t.Fatalf("delete %s: %v", ref, err)
	}
}

// Predicates as a pipeline would write them for cosign attest.
const e2eProvenance = `{"builder":{"id":"https://ci.example/builder@v1"},"buildType":"https://ci.example/build/v1",
"invocation":{"configSource":{"uri":"git+https://git.example/acme/shop@refs/heads/main","digest":{"sha1":"5d4c3b2a1f5d4c3b2a1f5d4c3b2a1f5d4c3b2a1f"},"entryPoint":"release.yml"},"parameters":{},"environment":{}},
"buildConfig":{},"metadata":{"buildInvocationID":"42","completeness":{"parameters":true,"environment":false,"materials":false},"reproducible":false},"materials":[]}`

func e2eVuln(finished time.Time, severity string) string {
	ts := finished.UTC().Format(time.RFC3339)
	return `{"invocation":{"parameters":null,"uri":"https://ci.example/run/42","event_id":"42","builder.id":"ci"},
"scanner":{"uri":"pkg:github/aquasecurity/trivy@0.50.0","version":"0.50.0","db":{"uri":"","version":""},
"result":{"SchemaVersion":2,"ArtifactName":"shop","Results":[{"Target":"shop","Vulnerabilities":[{"VulnerabilityID":"CVE-2026-0001","Severity":"` + severity + `"}]}]}},
"metadata":{"scanStartedOn":"` + ts + `","scanFinishedOn":"` + ts + `"}}`
}

// e2ePolicy trusts the main key and expects the pipeline's provenance.
func (e *e2eEnv) policy() Policy {
	return Policy{
		Keys:              []string{strings.TrimSuffix(e.key, ".key") + ".pub"},
		Attestations:      []string{"slsaprovenance", "vuln"},
		Provenance:        model.ProvenancePolicy{BuilderID: "https://ci.example/builder@v1", SourceRepository: "https://git.example/acme/shop", Commit: "5d4c3b2a1f5d4c3b2a1f5d4c3b2a1f5d4c3b2a1f"},
		MaxScanAge:        Duration(7 * 24 * time.Hour),
		SeverityThreshold: "high",
	}
}

// golden pushes an image and signs and attests it like the pipeline.
func (e *e2eEnv) golden(t *testing.T, tagRef string) string {
	d := pushRandom(t, tagRef)
	ref := strings.SplitN(tagRef, ":", 3)
	byDigest := strings.TrimSuffix(tagRef, ":"+ref[len(ref)-1]) + "@" + d
	e.sign(t, e.key, byDigest)
	e.attest(t, e.key, byDigest, "slsaprovenance", e2eProvenance)
	e.attest(t, e.key, byDigest, "vuln", e2eVuln(time.Now(), "LOW"))
	return d
}

func TestE2ERules(t *testing.T) {
	e := needE2E(t)
	now := time.Now()
	type scenario struct {
		name  string
		setup func(t *testing.T, repo string) string // returns the reference to verify
		edit  func(p *Policy)
		want  []string
	}
	scenarios := []scenario{
		{"golden image passes every rule", func(t *testing.T, repo string) string {
			return repo + ":1.0.0@" + e.golden(t, repo+":1.0.0")
		}, nil, nil},
		{"image-digest-not-found", func(t *testing.T, repo string) string {
			d := e.golden(t, repo+":1.0.0")
			deleteManifest(t, repo+"@"+d)
			return repo + "@" + d
		}, nil, []string{"image-digest-not-found"}},
		{"tag-moved", func(t *testing.T, repo string) string {
			d := e.golden(t, repo+":1.0.0")
			e.golden(t, repo+":1.0.0")
			return repo + ":1.0.0@" + d
		}, nil, []string{"tag-moved"}},
		{"image-unsigned", func(t *testing.T, repo string) string {
			return repo + "@" + pushRandom(t, repo+":1.0.0")
		}, func(p *Policy) {
			p.Attestations, p.Provenance, p.MaxScanAge, p.SeverityThreshold = nil, model.ProvenancePolicy{}, 0, ""
		}, []string{"image-unsigned"}},
		{"signature-invalid", func(t *testing.T, repo string) string {
			d := pushRandom(t, repo+":1.0.0")
			e.sign(t, e.otherKey, repo+"@"+d)
			return repo + "@" + d
		}, func(p *Policy) {
			p.Attestations, p.Provenance, p.MaxScanAge, p.SeverityThreshold = nil, model.ProvenancePolicy{}, 0, ""
		}, []string{"signature-invalid"}},
		{"attestation by an untrusted key is invalid and does not count", func(t *testing.T, repo string) string {
			d := pushRandom(t, repo+":1.0.0")
			e.sign(t, e.key, repo+"@"+d)
			e.attest(t, e.key, repo+"@"+d, "vuln", e2eVuln(now, "LOW"))
			e.attest(t, e.otherKey, repo+"@"+d, "slsaprovenance", e2eProvenance)
			return repo + "@" + d
		}, nil, []string{"signature-invalid", "provenance-missing"}},
		{"provenance-missing (only a vuln attestation, CVE-2022-35929)", func(t *testing.T, repo string) string {
			d := pushRandom(t, repo+":1.0.0")
			e.sign(t, e.key, repo+"@"+d)
			e.attest(t, e.key, repo+"@"+d, "vuln", e2eVuln(now, "LOW"))
			return repo + "@" + d
		}, nil, []string{"provenance-missing"}},
		{"provenance-mismatch", func(t *testing.T, repo string) string {
			d := pushRandom(t, repo+":1.0.0")
			e.sign(t, e.key, repo+"@"+d)
			e.attest(t, e.key, repo+"@"+d, "slsaprovenance", strings.Replace(e2eProvenance, "acme/shop", "mallory/shop", 1))
			e.attest(t, e.key, repo+"@"+d, "vuln", e2eVuln(now, "LOW"))
			return repo + "@" + d
		}, nil, []string{"provenance-mismatch"}},
		{"vulnerability-scan-missing", func(t *testing.T, repo string) string {
			d := pushRandom(t, repo+":1.0.0")
			e.sign(t, e.key, repo+"@"+d)
			e.attest(t, e.key, repo+"@"+d, "slsaprovenance", e2eProvenance)
			return repo + "@" + d
		}, nil, []string{"vulnerability-scan-missing"}},
		{"vulnerability-scan-stale", func(t *testing.T, repo string) string {
			d := pushRandom(t, repo+":1.0.0")
			e.sign(t, e.key, repo+"@"+d)
			e.attest(t, e.key, repo+"@"+d, "slsaprovenance", e2eProvenance)
			e.attest(t, e.key, repo+"@"+d, "vuln", e2eVuln(now.Add(-30*24*time.Hour), "LOW"))
			return repo + "@" + d
		}, nil, []string{"vulnerability-scan-stale"}},
		{"vulnerabilities-over-threshold", func(t *testing.T, repo string) string {
			d := pushRandom(t, repo+":1.0.0")
			e.sign(t, e.key, repo+"@"+d)
			e.attest(t, e.key, repo+"@"+d, "slsaprovenance", e2eProvenance)
			e.attest(t, e.key, repo+"@"+d, "vuln", e2eVuln(now, "CRITICAL"))
			return repo + "@" + d
		}, nil, []string{"vulnerabilities-over-threshold"}},
		{"registry-not-allowed", func(t *testing.T, repo string) string {
			return repo + "@" + e.golden(t, repo+":1.0.0")
		}, func(p *Policy) { p.TrustedRegistries = []string{"registry.example.com"} }, []string{"registry-not-allowed"}},
		{"rollback-image-missing", func(t *testing.T, repo string) string {
			e.golden(t, repo+":1.0.0")
			old := e.golden(t, repo+":1.1.0")
			d := e.golden(t, repo+":1.2.0")
			deleteManifest(t, repo+"@"+old)
			return repo + ":1.2.0@" + d
		}, func(p *Policy) { p.PreviousRevisions = 2 }, []string{"rollback-image-missing"}},
		{"previous releases present", func(t *testing.T, repo string) string {
			e.golden(t, repo+":1.0.0")
			e.golden(t, repo+":1.1.0")
			return repo + ":1.2.0@" + e.golden(t, repo+":1.2.0")
		}, func(p *Policy) { p.PreviousRevisions = 2 }, nil},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			ref := sc.setup(t, e.repo(t))
			p := e.policy()
			if sc.edit != nil {
				sc.edit(&p)
			}
			r := verifyRef(t, newTestVerifier(t, p, nil, e.registry), ref)
			if d := cmp.Diff(sorted(sc.want), ruleIDs(r)); d != "" {
				t.Errorf("rules (-want +got):\n%s\nfindings: %v", d, r.Findings)
			}
			if r.Verified != (sc.want == nil) {
				t.Errorf("Verified = %v with findings %v", r.Verified, r.Findings)
			}
		})
	}
}

// TestE2EFaults puts the fault-injecting handler of the unit tests in
// front of the real registry.
func TestE2EFaults(t *testing.T) {
	e := needE2E(t)
	repo := e.repo(t)
	d := e.golden(t, repo+":1.0.0")
	target, _ := url.Parse("http://" + e.registry)
	proxied := func(t *testing.T, wrap func(http.Handler) http.Handler) (string, string) {
		s := httptest.NewServer(wrap(httputil.NewSingleHostReverseProxy(target)))
		t.Cleanup(s.Close)
		host := strings.TrimPrefix(s.URL, "http://")
		return host, strings.Replace(repo, e.registry, host, 1) + "@" + d
	}
	t.Run("pass-through verifies", func(t *testing.T) {
		host, ref := proxied(t, func(h http.Handler) http.Handler { return h })
		if r := verifyRef(t, newTestVerifier(t, e.policy(), nil, host), ref); !r.Verified {
			t.Fatalf("not verified through the proxy: %v", r.Findings)
		}
	})
	t.Run("tampered manifest", func(t *testing.T) {
		host, ref := proxied(t, func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !strings.Contains(r.URL.Path, "/manifests/"+d) {
					h.ServeHTTP(w, r)
					return
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r)
				w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
				w.Write(bytes.Replace(rec.Body.Bytes(), []byte(`"schemaVersion":2`), []byte(`"schemaVersion": 2`), 1))
			})
		})
		wantCheckFailed(t, verifyRef(t, newTestVerifier(t, e.policy(), nil, host), ref), "digest mismatch")
	})
	t.Run("registry returns 503", func(t *testing.T) {
		host, ref := proxied(t, faultOn("/manifests/", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(503) }))
		wantCheckFailed(t, verifyRef(t, newTestVerifier(t, e.policy(), nil, host), ref), "503")
	})
	t.Run("signature image replaced by 10,000 entries", func(t *testing.T) {
		var body strings.Builder
		body.WriteString(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"sha256:` + strings.Repeat("a", 64) + `"},"layers":[`)
		for i := range 10000 {
			if i > 0 {
				body.WriteString(",")
			}
			fmt.Fprintf(&body, `{"mediaType":"%s","size":1,"digest":"sha256:%064x"}`, simpleSigningType, i)
		}
		body.WriteString("]}")
		host, ref := proxied(t, faultOn(".sig", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/vnd.oci.image.manifest.v1+json")
			w.Write([]byte(body.String()))
		}))
		wantCheckFailed(t, verifyRef(t, newTestVerifier(t, e.policy(), nil, host), ref), "limit exceeded")
	})
}
