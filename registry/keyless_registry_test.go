package registry

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/name"
	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	protodsse "github.com/sigstore/protobuf-specs/gen/pb-go/dsse"
	protorekor "github.com/sigstore/protobuf-specs/gen/pb-go/rekor/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
	"github.com/sigstore/sigstore-go/pkg/tlog"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/verify"
	"google.golang.org/protobuf/proto"
)

// bundleJSON serialises a test entity of the in-process sigstore as a
// v0.1 sigstore bundle (certificate chain, inclusion promise). The
// helper's log entries lack the kind and the promise a bundle carries;
// both are added here, the promise signed by the same test log.
func bundleJSON(t *testing.T, vs *ca.VirtualSigstore, e *ca.TestEntity) []byte {
	t.Helper()
	vc, err := e.VerificationContent()
	if err != nil {
		t.Fatal(err)
	}
	sc, err := e.SignatureContent()
	if err != nil {
		t.Fatal(err)
	}
	entries, err := e.TlogEntries()
	if err != nil {
		t.Fatal(err)
	}
	var tles []*protorekor.TransparencyLogEntry
	for _, en := range entries {
		tle := proto.Clone(en.TransparencyLogEntry()).(*protorekor.TransparencyLogEntry)
		tle.KindVersion = &protorekor.KindVersion{Kind: "hashedrekord", Version: "0.0.1"}
		if env := sc.EnvelopeContent(); env != nil {
			tle.KindVersion.Kind = "dsse"
		}
		set, err := vs.RekorSignPayload(tlog.RekorPayload{Body: en.Body(), IntegratedTime: tle.IntegratedTime, LogIndex: tle.LogIndex, LogID: hex.EncodeToString(tle.LogId.KeyId)})
		if err != nil {
			t.Fatal(err)
		}
		tle.InclusionPromise = &protorekor.InclusionPromise{SignedEntryTimestamp: set}
		tles = append(tles, tle)
	}
	pb := &protobundle.Bundle{
		MediaType: "application/vnd.dev.sigstore.bundle+json;version=0.1",
		VerificationMaterial: &protobundle.VerificationMaterial{
			Content: &protobundle.VerificationMaterial_X509CertificateChain{X509CertificateChain: &protocommon.X509CertificateChain{
				Certificates: []*protocommon.X509Certificate{{RawBytes: vc.Certificate().Raw}},
			}},
			TlogEntries: tles,
		},
	}
	if env, ok := sc.(*bundle.Envelope); ok {
		var sigs []*protodsse.Signature
		for _, sg := range env.Signatures {
			raw, err := base64.StdEncoding.DecodeString(sg.Sig)
			if err != nil {
				t.Fatal(err)
			}
			sigs = append(sigs, &protodsse.Signature{Sig: raw, Keyid: sg.KeyID})
		}
		payload, err := env.DecodeB64Payload()
		if err != nil {
			t.Fatal(err)
		}
		pb.Content = &protobundle.Bundle_DsseEnvelope{DsseEnvelope: &protodsse.Envelope{Payload: payload, PayloadType: env.PayloadType, Signatures: sigs}}
	} else {
		ms := sc.MessageSignatureContent()
		pb.Content = &protobundle.Bundle_MessageSignature{MessageSignature: &protocommon.MessageSignature{
			MessageDigest: &protocommon.HashOutput{Algorithm: protocommon.HashAlgorithm_SHA2_256, Digest: ms.Digest()},
			Signature:     ms.Signature(),
		}}
	}
	b, err := bundle.NewBundle(pb)
	if err != nil {
		t.Fatal(err)
	}
	out, err := b.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// rawManifest is a remote.Taggable for a hand-written manifest.
type rawManifest struct {
	body []byte
	mt   types.MediaType
}

func (r rawManifest) RawManifest() ([]byte, error)        { return r.body, nil }
func (r rawManifest) MediaType() (types.MediaType, error) { return r.mt, nil }

// attachBundle stores bundle as an OCI 1.1 referrer of digest (the layout
// `cosign sign --new-bundle-format` writes).
func attachBundle(t *testing.T, repo, digest string, bundleBytes []byte) {
	t.Helper()
	r, err := name.NewRepository(repo, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	layer := static.NewLayer(bundleBytes, bundleArtifactType)
	// The config media type is the artifact type too: go-containerregistry's
	// in-memory registry reports that (the OCI 1.1 release candidates'
	// rule) rather than the manifest's artifactType.
	cfg := static.NewLayer([]byte("{}"), bundleArtifactType)
	if err := remote.WriteLayer(r, layer); err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteLayer(r, cfg); err != nil {
		t.Fatal(err)
	}
	ld, _ := layer.Digest()
	cd, _ := cfg.Digest()
	body := fmt.Appendf(nil, `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":%q,`+
		`"config":{"mediaType":%q,"size":2,"digest":%q},`+
		`"layers":[{"mediaType":%q,"size":%d,"digest":%q}],`+
		`"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":%q}}`,
		bundleArtifactType, bundleArtifactType, cd, bundleArtifactType, len(bundleBytes), ld, digest)
	if err := remote.Put(r.Digest(sha256Digest(body)), rawManifest{body, types.OCIManifestSchema1}); err != nil {
		t.Fatal(err)
	}
}

// TestKeylessReferrers verifies keyless signatures stored as OCI 1.1
// referrers: found through the referrers API, bound to the digest, and
// checked against the trusted root and identity.
func TestKeylessReferrers(t *testing.T) {
	t.Parallel()
	refHost := memRegistryWith(t, ggcrregistry.WithReferrersSupport(true))
	vs, rootPath := virtualSigstore(t)
	repo := refHost + "/shop"
	sign := func(subject string) string {
		d := pushRandom(t, repo+":"+strings.ReplaceAll(subject[len(subject)-6:], "/", "-"))
		body, err := remote.Get(mustRef(t, repo+"@"+d), remote.WithTransport(http.DefaultTransport))
		if err != nil {
			t.Fatal(err)
		}
		e, err := vs.Sign(subject, testIssuer, body.Manifest)
		if err != nil {
			t.Fatal(err)
		}
		attachBundle(t, repo, d, bundleJSON(t, vs, e))
		return d
	}
	good := sign(testSubject)
	bad := sign("https://git.example/mallory/x/.github/workflows/a.yml@refs/heads/evil1")
	unsigned := pushRandom(t, repo+":unsigned")
	p := Policy{Keyless: []Identity{{Issuer: testIssuer, SubjectRegExp: `https://git\.example/acme/.+`}}, TrustedRoot: rootPath}
	v := newTestVerifier(t, p, nil, refHost)
	for _, tt := range []struct {
		digest string
		want   []string
	}{
		{good, nil},
		{bad, []string{"signature-invalid"}},
		{unsigned, []string{"image-unsigned"}},
	} {
		r := verifyRef(t, v, repo+"@"+tt.digest)
		if d := cmp.Diff(sorted(tt.want), ruleIDs(r)); d != "" {
			t.Errorf("%s: rules (-want +got):\n%s\n%v", tt.digest, d, r.Findings)
		}
		if r.Verified != (tt.want == nil) {
			t.Errorf("%s: Verified = %v", tt.digest, r.Verified)
		}
	}
}

func mustRef(t *testing.T, s string) name.Reference {
	t.Helper()
	r, err := name.ParseReference(s, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestFaultManyReferrers: a registry listing more sigstore bundles than the
// limit fails closed instead of checking a subset (cases 31/45, fault F8).
func TestFaultManyReferrers(t *testing.T) {
	t.Parallel()
	_, rootPath := virtualSigstore(t)
	var body strings.Builder
	body.WriteString(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[`)
	for i := range 1000 {
		if i > 0 {
			body.WriteString(",")
		}
		fmt.Fprintf(&body, `{"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":%q,"size":1,"digest":"sha256:%064x"}`, bundleArtifactType, i)
	}
	body.WriteString("]}")
	host := memRegistry(t, faultOn("/referrers/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/vnd.oci.image.index.v1+json")
		w.Write([]byte(body.String()))
	}))
	d := pushRandom(t, host+"/shop:1")
	p := Policy{Keyless: []Identity{{Issuer: testIssuer, Subject: testSubject}}, TrustedRoot: rootPath}
	wantCheckFailed(t, verifyRef(t, newTestVerifier(t, p, nil, host), host+"/shop@"+d), "more than 50 referrers")
}

// TestKeylessAttestations reads provenance and scans from DSSE sigstore
// bundles among the referrers: verified against the trusted root and the
// identity, bound to the digest, never counted as signatures.
func TestKeylessAttestations(t *testing.T) {
	t.Parallel()
	host := memRegistryWith(t, ggcrregistry.WithReferrersSupport(true))
	vs, rootPath := virtualSigstore(t)
	repo := host + "/shop"
	now := time.Now()
	stmt := func(digest, typ, pred string) []byte {
		return fmt.Appendf(nil, `{"_type":"https://in-toto.io/Statement/v1","predicateType":%q,"subject":[{"name":"shop","digest":{"sha256":%q}}],"predicate":%s}`,
			typ, strings.TrimPrefix(digest, "sha256:"), pred)
	}
	image := func(tag string, signer string, atts map[string]string) string {
		d := pushRandom(t, repo+":"+tag)
		if signer != "" {
			desc, err := remote.Get(mustRef(t, repo+"@"+d))
			if err != nil {
				t.Fatal(err)
			}
			e, err := vs.Sign(signer, testIssuer, desc.Manifest)
			if err != nil {
				t.Fatal(err)
			}
			attachBundle(t, repo, d, bundleJSON(t, vs, e))
		}
		for typ, pred := range atts {
			who := testSubject
			if strings.HasPrefix(typ, "mallory:") {
				typ, who = strings.TrimPrefix(typ, "mallory:"), "https://git.example/mallory/x/.github/workflows/a.yml@refs/heads/x"
			}
			e, err := vs.AttestAtTime(who, testIssuer, stmt(d, typ, pred), time.Now().Add(time.Minute), false)
			if err != nil {
				t.Fatal(err)
			}
			attachBundle(t, repo, d, bundleJSON(t, vs, e))
		}
		return d
	}
	fresh := vulnPred(now, "LOW")
	tests := []struct {
		name string
		d    string
		want []string
	}{
		{"signed, provenance and scan", image("good", testSubject, map[string]string{verify.SLSAProvenanceV02: slsaV02, verify.CosignVulnV1: fresh}), nil},
		{"attestations only are not a signature", image("nosig", "", map[string]string{verify.SLSAProvenanceV02: slsaV02, verify.CosignVulnV1: fresh}), []string{"image-unsigned"}},
		{"provenance by another identity", image("mallory", testSubject, map[string]string{"mallory:" + verify.SLSAProvenanceV02: slsaV02, verify.CosignVulnV1: fresh}), []string{"signature-invalid", "provenance-missing"}},
		{"provenance from another builder", image("builder", testSubject, map[string]string{verify.SLSAProvenanceV02: strings.Replace(slsaV02, "ci.example", "laptop.example", 1), verify.CosignVulnV1: fresh}), []string{"provenance-mismatch"}},
		{"scan missing", image("noscan", testSubject, map[string]string{verify.SLSAProvenanceV02: slsaV02}), []string{"vulnerability-scan-missing"}},
	}
	p := Policy{
		Keyless:      []Identity{{Issuer: testIssuer, Subject: testSubject}},
		TrustedRoot:  rootPath,
		Attestations: []string{"slsaprovenance", "vuln"},
		Provenance:   model.ProvenancePolicy{BuilderID: "https://ci.example/builder"},
	}
	v := newTestVerifier(t, p, nil, host)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := verifyRef(t, v, repo+"@"+tt.d)
			if d := cmp.Diff(sorted(tt.want), ruleIDs(r)); d != "" {
				t.Errorf("rules (-want +got):\n%s\n%v", d, r.Findings)
			}
			if r.Verified != (tt.want == nil) {
				t.Errorf("Verified = %v", r.Verified)
			}
		})
	}
}

// TestE2EKeylessFallbackTag stores a sigstore bundle in the real registry,
// which has no referrers API: the bundle manifest plus the referrers tag
// schema index (tag sha256-<hex>) that clients write on such registries.
func TestE2EKeylessFallbackTag(t *testing.T) {
	e := needE2E(t)
	vs, rootPath := virtualSigstore(t)
	repo := e.repo(t)
	d := pushRandom(t, repo+":1.0.0")
	desc, err := remote.Get(mustRef(t, repo+"@"+d))
	if err != nil {
		t.Fatal(err)
	}
	ent, err := vs.Sign(testSubject, testIssuer, desc.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	b := bundleJSON(t, vs, ent)
	attachBundle(t, repo, d, b)
	// attachBundle put the referrer by digest; list it in the fallback tag.
	r, _ := name.NewRepository(repo, name.Insecure)
	layer := static.NewLayer(b, bundleArtifactType)
	cfg := static.NewLayer([]byte("{}"), bundleArtifactType)
	ld, _ := layer.Digest()
	cd, _ := cfg.Digest()
	ref := fmt.Appendf(nil, `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":%q,`+
		`"config":{"mediaType":%q,"size":2,"digest":%q},`+
		`"layers":[{"mediaType":%q,"size":%d,"digest":%q}],`+
		`"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1,"digest":%q}}`,
		bundleArtifactType, bundleArtifactType, cd, bundleArtifactType, len(b), ld, d)
	idx := fmt.Appendf(nil, `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":%q,"size":%d,"digest":%q}]}`,
		bundleArtifactType, len(ref), sha256Digest(ref))
	if err := remote.Put(r.Tag(dashed(d)), rawManifest{idx, types.OCIImageIndex}); err != nil {
		t.Fatal(err)
	}
	p := Policy{Keyless: []Identity{{Issuer: testIssuer, Subject: testSubject}}, TrustedRoot: rootPath}
	if res := verifyRef(t, newTestVerifier(t, p, nil, e.registry), repo+"@"+d); !res.Verified {
		t.Fatalf("not verified through the fallback tag: %v", res.Findings)
	}
	p.Keyless[0].Subject = "https://git.example/someone/else@refs/heads/main"
	res := verifyRef(t, newTestVerifier(t, p, nil, e.registry), repo+"@"+d)
	if d := cmp.Diff([]string{"signature-invalid"}, ruleIDs(res)); d != "" {
		t.Errorf("other identity: rules (-want +got):\n%s", d)
	}
}
