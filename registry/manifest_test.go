package registry

import (
	"errors"
	"strings"
	"testing"
)

func TestParseDocument(t *testing.T) {
	t.Parallel()
	const m = "application/vnd.oci.image.manifest.v1+json"
	const ix = "application/vnd.oci.image.index.v1+json"
	d := "sha256:" + strings.Repeat("a", 64)
	tests := []struct {
		name, body, ct string
		want           error
	}{
		{"manifest", `{"schemaVersion":2,"mediaType":"` + m + `","config":{"mediaType":"x","size":1,"digest":"` + d + `"},"layers":[]}`, m, nil},
		{"index", `{"schemaVersion":2,"mediaType":"` + ix + `","manifests":[{"mediaType":"` + m + `","size":1,"digest":"` + d + `","platform":{"os":"linux","architecture":"amd64"}}]}`, ix + "; charset=utf-8", nil},
		{"no media type in body", `{"schemaVersion":2,"manifests":[]}`, ix, nil},
		{"both shapes", `{"schemaVersion":2,"manifests":[],"config":{"mediaType":"x","size":1,"digest":"` + d + `"}}`, "", ErrMalformed},
		{"index type with layers", `{"schemaVersion":2,"mediaType":"` + ix + `","layers":[]}`, "", ErrMalformed},
		{"content type differs", `{"schemaVersion":2,"mediaType":"` + m + `","layers":[]}`, ix, ErrMalformed},
		{"schema 1", `{"schemaVersion":1}`, "", ErrMalformed},
		{"trailing", `{"schemaVersion":2,"layers":[]} {}`, "", ErrMalformed},
		{"path in digest", `{"schemaVersion":2,"layers":[{"digest":"sha256:../../x","size":1}]}`, "", ErrMalformed},
		{"short digest", `{"schemaVersion":2,"layers":[{"digest":"sha256:abc","size":1}]}`, "", ErrMalformed},
		{"unknown algorithm", `{"schemaVersion":2,"layers":[{"digest":"md5:` + strings.Repeat("a", 32) + `","size":1}]}`, "", ErrMalformed},
		{"negative size", `{"schemaVersion":2,"layers":[{"digest":"` + d + `","size":-1}]}`, "", ErrMalformed},
		{"too many layers", `{"schemaVersion":2,"layers":[` + strings.Repeat(`{"digest":"`+d+`","size":1},`, 256) + `{"digest":"` + d + `","size":1}]}`, "", ErrLimitExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseDocument([]byte(tt.body), tt.ct, DefaultLimits())
			if tt.want == nil && err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func FuzzParseDocument(f *testing.F) {
	d := "sha256:" + strings.Repeat("a", 64)
	f.Add([]byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"digest":"`+d+`","size":1}]}`), "application/vnd.oci.image.index.v1+json")
	f.Add([]byte(`{"schemaVersion":2,"manifests":[],"layers":[]}`), "")
	f.Add([]byte(`{"schemaVersion":2,"layers":[{"digest":"sha256:../x"}],"subject":{"digest":"`+d+`"}}`), "application/vnd.oci.image.manifest.v1+json")
	lim := DefaultLimits()
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		doc, err := parseDocument(body, ct, lim)
		if err != nil {
			return
		}
		if doc.Manifests != nil && (doc.Layers != nil || doc.Config != nil) {
			t.Fatal("ambiguous document accepted")
		}
		if len(doc.Layers) > lim.Layers || len(doc.Manifests) > lim.IndexManifests {
			t.Fatal("count limit not enforced")
		}
		for _, l := range doc.Layers {
			if strings.ContainsAny(l.Digest.Hex, "/.") {
				t.Fatalf("digest %q with path characters accepted", l.Digest)
			}
		}
	})
}

func TestParsePolicy(t *testing.T) {
	t.Parallel()
	p, err := ParsePolicy([]byte("keys: [a.pub]\nmax-scan-age: 7d\nattestations: [slsaprovenance, vuln]\nprovenance:\n  builder-id: b\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Keys) != 1 || p.MaxScanAge != Duration(7*24*60*60*1e9) || p.Provenance.BuilderID != "b" {
		t.Errorf("policy = %+v", p)
	}
	for name, in := range map[string]string{
		"unknown field":  "keyz: [a]\n",
		"nested unknown": "provenance:\n  builder: b\n",
		"bad duration":   "max-scan-age: soon\n",
	} {
		if _, err := ParsePolicy([]byte(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	for name, p := range map[string]Policy{
		"missing key file":          {Keys: []string{"/nonexistent/cosign.pub"}},
		"attestations without keys": {Attestations: []string{"vuln"}},
		"unknown attestation type":  {Keys: nil, Attestations: []string{"spdx"}},
		"bad severity":              {SeverityThreshold: "severe"},
		"root without identities":   {TrustedRoot: "x.json"},
		"identity without root":     {Keyless: []Identity{{Issuer: "i", Subject: "s"}}},
	} {
		if _, _, err := p.Compile(); err == nil {
			t.Errorf("%s: compiled", name)
		}
	}
	if _, w, err := compileIdentityRegexp(".*"); err != nil || w == "" {
		t.Errorf("match-all regexp: warning %q, err %v", w, err)
	}
	if _, w, err := compileIdentityRegexp(`https://github\.com/acme/.+`); err != nil || w != "" {
		t.Errorf("specific regexp: warning %q, err %v", w, err)
	}
}
