package registry

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/secure-systems-lab/go-securesystemslib/dsse"
	"github.com/sigstore/sigstore/pkg/cryptoutils"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// memRegistry starts go-containerregistry's in-memory registry, optionally
// behind wrap, and returns its host:port.
func memRegistry(t *testing.T, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	return serve(t, newMemHandler(), wrap)
}

// newMemHandler is go-containerregistry's in-memory registry, quiet.
func newMemHandler() http.Handler { return ggcrregistry.New(ggcrregistry.Logger(nopLogger())) }

// memRegistryWith starts the in-memory registry with options.
func memRegistryWith(t testing.TB, opts ...ggcrregistry.Option) string {
	t.Helper()
	return serve(t, ggcrregistry.New(append(opts, ggcrregistry.Logger(nopLogger()))...), nil)
}

// serve serves h, optionally wrapped, and returns its host:port.
func serve(t testing.TB, h http.Handler, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	if wrap != nil {
		h = wrap(h)
	}
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return strings.TrimPrefix(s.URL, "http://")
}

// push writes img to ref and returns its digest.
func push(t testing.TB, ref string, img v1.Image) string {
	t.Helper()
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(r, img); err != nil {
		t.Fatalf("push %s: %v", ref, err)
	}
	d, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d.String()
}

// pushRandom pushes a small random image.
func pushRandom(t testing.TB, ref string) string {
	t.Helper()
	img, err := random.Image(64, 1)
	if err != nil {
		t.Fatal(err)
	}
	return push(t, ref, img)
}

// signer is an ECDSA P-256 key pair like cosign's, with its public key
// written to a file for policies.
type signer struct {
	priv    *ecdsa.PrivateKey
	pubPath string
}

func newSigner(t testing.TB) signer {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pemBytes, err := cryptoutils.MarshalPublicKeyToPEM(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "cosign.pub")
	if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	return signer{priv, path}
}

func (s signer) sign(t testing.TB, msg []byte) string {
	t.Helper()
	h := sha256.Sum256(msg)
	sig, err := ecdsa.SignASN1(rand.Reader, s.priv, h[:])
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

// attachImage pushes a cosign-style .sig or .att image with the layers.
func attachImage(t testing.TB, repo, digest, suffix string, layers []mutate.Addendum) {
	t.Helper()
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err := mutate.Append(img, layers...)
	if err != nil {
		t.Fatal(err)
	}
	push(t, repo+":"+dashed(digest)+"."+suffix, img)
}

// signLayer is a classic cosign signature of digest by s.
func (s signer) signLayer(t testing.TB, digest string) mutate.Addendum {
	payload := fmt.Appendf(nil, `{"critical":{"identity":{"docker-reference":"x"},"image":{"docker-manifest-digest":%q},"type":"cosign container image signature"},"optional":null}`, digest)
	return mutate.Addendum{Layer: static.NewLayer(payload, simpleSigningType), Annotations: map[string]string{sigAnnotation: s.sign(t, payload)}, MediaType: simpleSigningType}
}

// rawAttLayer is a DSSE envelope over an arbitrary payload, signed by s.
func (s signer) rawAttLayer(t testing.TB, payloadType string, payload []byte) mutate.Addendum {
	env, err := json.Marshal(dsse.Envelope{PayloadType: payloadType, Payload: base64.StdEncoding.EncodeToString(payload),
		Signatures: []dsse.Signature{{Sig: s.sign(t, dsse.PAE(payloadType, payload))}}})
	if err != nil {
		t.Fatal(err)
	}
	return mutate.Addendum{Layer: static.NewLayer(env, dsseType), MediaType: dsseType}
}

// attLayer is a DSSE attestation of predicateType about digest, signed by s.
func (s signer) attLayer(t testing.TB, digest, predicateType, predicate string) mutate.Addendum {
	stmt := fmt.Appendf(nil, `{"_type":"https://in-toto.io/Statement/v0.1","predicateType":%q,"subject":[{"name":"x","digest":{"sha256":%q}}],"predicate":%s}`,
		predicateType, strings.TrimPrefix(digest, "sha256:"), predicate)
	env, err := json.Marshal(dsse.Envelope{PayloadType: "application/vnd.in-toto+json", Payload: base64.StdEncoding.EncodeToString(stmt),
		Signatures: []dsse.Signature{{Sig: s.sign(t, dsse.PAE("application/vnd.in-toto+json", stmt))}}})
	if err != nil {
		t.Fatal(err)
	}
	return mutate.Addendum{Layer: static.NewLayer(env, dsseType), Annotations: map[string]string{"predicateType": predicateType}, MediaType: dsseType}
}

// testLimits are short so fault tests finish quickly.
func testLimits() Limits {
	l := DefaultLimits()
	l.RequestTimeout = 2 * time.Second
	l.Budget = 20 * time.Second
	l.Retries = 2
	return l
}

// newTestVerifier builds a verifier that may use plain HTTP to hosts.
func newTestVerifier(t testing.TB, p Policy, tr http.RoundTripper, hosts ...string) *Verifier {
	t.Helper()
	p.InsecureRegistries = append(p.InsecureRegistries, hosts...)
	v, _, err := NewVerifier(p, ClientOptions{Limits: testLimits(), Transport: tr})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// verifyRef verifies one reference and judges it with the catalog.
func verifyRef(t testing.TB, v *Verifier, ref string) outcome {
	t.Helper()
	return judge(t, v, v.Verify(context.Background(), []model.Artifact{model.NewArtifact(ref, model.Location{})})[0])
}

// outcome is a Result judged by the catalog, the way image verify judges
// it: Verified when the image resolved and nothing was found.
type outcome struct {
	Result
	Digest    string
	Platforms []string
	Findings  []rules.Finding
	Verified  bool
}

// judge evaluates r with the rules and the verifier's policy.
func judge(t testing.TB, v *Verifier, r Result) outcome {
	t.Helper()
	ev, err := rules.NewEvaluator(rules.All(), rules.Settings{Options: rules.Options{Registry: rules.RegistryOptions{
		Trusted: v.p.trusted, Provenance: v.p.expect, MaxScanAge: v.p.maxScanAge,
		SeverityThreshold: v.p.threshold, PreviousRevisions: v.p.previous,
	}}})
	if err != nil {
		t.Fatal(err)
	}
	o := outcome{Result: r, Findings: ev.Evaluate(&model.File{Path: "test", Images: r.Images, Problems: r.Problems})}
	if len(r.Images) > 0 {
		o.Digest, o.Platforms = r.Images[0].Digest, r.Images[0].Platforms
	}
	o.Verified = o.Digest != "" && len(o.Findings) == 0
	return o
}

// sorted returns the rule IDs in the order the evaluator reports them
// for one image (by rule ID); nil stays nil.
func sorted(ids []string) []string {
	if ids == nil {
		return nil
	}
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// ruleIDs lists the rule IDs of an outcome's findings.
func ruleIDs(r outcome) []string {
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.Rule.ID)
	}
	return ids
}

func nopLogger() *log.Logger { return log.New(io.Discard, "", 0) }
