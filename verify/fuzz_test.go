package verify

import (
	"testing"
)

// The fuzz targets check that no input makes a parser panic or hang, and
// that a parser never accepts what it must reject.

func FuzzOpenEnvelope(f *testing.F) {
	s := newSigner(f)
	f.Add(s.envelope(f, InTotoPayloadType, statement(SLSAProvenanceV02, testDigest, `{}`)))
	f.Add([]byte(`{"payloadType":"application/vnd.in-toto+json","payload":"!!","signatures":[{"sig":"AAAA"}]}`))
	f.Add([]byte(`{"payloadType":"x","payload":"e30=","signatures":[]}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		payload, _, err := OpenEnvelope(b, []Key{s.key})
		if err == nil {
			if _, err := ParseStatement(payload, testDigest); err == nil && len(payload) == 0 {
				t.Fatal("empty payload accepted")
			}
		}
	})
}

func FuzzParseStatement(f *testing.F) {
	f.Add(statement(SLSAProvenanceV1, testDigest, `{}`))
	f.Add([]byte(`{"_type":"https://in-toto.io/Statement/v1","predicateType":"x","subject":[{"name":"../x","digest":{"sha256":"zz"}}]}`))
	f.Add([]byte(`{"_type":"https://in-toto.io/Statement/v1","predicateType":"x","subject":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseStatement(b, testDigest)
		if err == nil && !s.covers(testDigest) {
			t.Fatal("statement accepted without a subject for the digest")
		}
	})
}

func FuzzParseProvenance(f *testing.F) {
	f.Add(SLSAProvenanceV02, []byte(provV02))
	f.Add(SLSAProvenanceV1, []byte(provV1))
	f.Add(SLSAProvenanceV1, []byte(`{"buildDefinition":{"externalParameters":[1,2,{"workflow":null}]}}`))
	f.Fuzz(func(t *testing.T, typ string, b []byte) {
		p, err := ParseProvenance(typ, b)
		if err == nil && p.PredicateType != typ {
			t.Fatalf("predicate type %q reported as %q", typ, p.PredicateType)
		}
	})
}

func FuzzParseVulnScan(f *testing.F) {
	f.Add([]byte(vulnPredicate("2026-11-01T10:05:00Z", trivyResult)))
	f.Add([]byte(vulnPredicate("2026-11-01T10:05:00Z", `{"SchemaVersion":2,"Results":[{"Vulnerabilities":null}]}`)))
	f.Add([]byte(`{"metadata":{"scanFinishedOn":"2026-01-01T00:00:00Z"},"scanner":{"result":"x"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseVulnScan(CosignVulnV1, b)
		if err == nil && s.FinishedAt.IsZero() {
			t.Fatal("scan without finish time accepted")
		}
	})
}

func FuzzCheckSimpleSigningPayload(f *testing.F) {
	f.Add(simplePayload(testDigest))
	f.Add([]byte(`{"critical":{"type":"cosign container image signature","image":{"docker-manifest-digest":null}}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = CheckSimpleSigningPayload(b, testDigest)
	})
}
