package verify

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/immutcheck/immutcheck/model"
)

const (
	provV02 = `{"builder":{"id":"https://github.com/actions/runner"},"buildType":"x",
		"invocation":{"configSource":{"uri":"git+https://github.com/Acme/shop.git@refs/heads/main","digest":{"sha1":"ABCDEF0123"},"entryPoint":"build.yml"}}}`
	provV1 = `{"buildDefinition":{"buildType":"https://actions.github.io/buildtypes/workflow/v1",
		"externalParameters":{"workflow":{"repository":"https://github.com/acme/shop","ref":"refs/tags/v1.2.0","path":".github/workflows/release.yml"}},
		"resolvedDependencies":[{"uri":"git+https://github.com/acme/shop@refs/tags/v1.2.0","digest":{"gitCommit":"abcdef0123"}}]},
		"runDetails":{"builder":{"id":"https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v2.0.0"}}}`
)

func TestParseProvenance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, typ, in string
		want          *Provenance
	}{
		{"v0.2", SLSAProvenanceV02, provV02, &Provenance{SLSAProvenanceV02, "https://github.com/actions/runner", "https://github.com/Acme/shop", "abcdef0123", "refs/heads/main"}},
		{"v1", SLSAProvenanceV1, provV1, &Provenance{SLSAProvenanceV1, "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v2.0.0", "https://github.com/acme/shop", "abcdef0123", "refs/tags/v1.2.0"}},
		{"v0.2 materials fallback", SLSAProvenanceV02, `{"builder":{"id":"b"},"materials":[{"uri":"git+https://git.example/x@v1","digest":{"sha1":"cafe"}}]}`, &Provenance{SLSAProvenanceV02, "b", "https://git.example/x", "cafe", "v1"}},
		{"userinfo is not a ref", SLSAProvenanceV02, `{"builder":{"id":"b"},"invocation":{"configSource":{"uri":"https://git@git.example/x"}}}`, &Provenance{SLSAProvenanceV02, "b", "https://git@git.example/x", "", ""}},
		{"not json", SLSAProvenanceV02, `{`, nil},
		{"wrong field type", SLSAProvenanceV1, `{"runDetails":{"builder":{"id":5}}}`, nil},
		{"vuln is not provenance", CosignVulnV1, `{}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseProvenance(tt.typ, []byte(tt.in))
			if tt.want == nil {
				if err == nil {
					t.Fatalf("ParseProvenance succeeded: %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("provenance (-want +got):\n%s", d)
			}
		})
	}
}

func vulnPredicate(finished string, result string) string {
	return `{"invocation":{"parameters":null,"uri":"","event_id":"","builder.id":""},"scanner":{"uri":"pkg:github/aquasecurity/trivy@0.50.0","version":"0.50.0","db":{"uri":"","version":""},"result":` +
		result + `},"metadata":{"scanStartedOn":"2026-11-01T10:00:00Z","scanFinishedOn":"` + finished + `"}}`
}

const trivyResult = `{"SchemaVersion":2,"Results":[{"Target":"x","Vulnerabilities":[{"VulnerabilityID":"CVE-1","Severity":"CRITICAL"},{"VulnerabilityID":"CVE-2","Severity":"high"},{"VulnerabilityID":"CVE-3","Severity":"LOW"},{"VulnerabilityID":"CVE-4","Severity":"weird"}]}]}`

func TestParseVulnScan(t *testing.T) {
	t.Parallel()
	s, err := ParseVulnScan(CosignVulnV1, []byte(vulnPredicate("2026-11-01T10:05:00Z", trivyResult)))
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 1, 10, 5, 0, 0, time.UTC); !s.FinishedAt.Equal(want) {
		t.Errorf("FinishedAt = %v", s.FinishedAt)
	}
	if d := cmp.Diff(map[string]int{"CRITICAL": 1, "HIGH": 1, "LOW": 1, "UNKNOWN": 1}, s.Counts); d != "" {
		t.Errorf("counts (-want +got):\n%s", d)
	}
	for th, want := range map[string]int{"CRITICAL": 1, "HIGH": 2, "MEDIUM": 2, "LOW": 3, "UNKNOWN": 4} {
		if got := s.AtOrAbove(th); got != want {
			t.Errorf("AtOrAbove(%s) = %d, want %d", th, got, want)
		}
	}
	noResult, err := ParseVulnScan(CosignVulnV1, []byte(vulnPredicate("2026-11-01T10:05:00Z", `null`)))
	if err != nil || noResult.Counts != nil {
		t.Errorf("no result: %+v, %v", noResult, err)
	}
	for name, in := range map[string]string{
		"no finish time": vulnPredicate("0001-01-01T00:00:00Z", trivyResult),
		"bad time":       vulnPredicate("yesterday", trivyResult),
		"not json":       `{"scanner":`,
	} {
		if _, err := ParseVulnScan(CosignVulnV1, []byte(in)); err == nil {
			t.Errorf("%s: ParseVulnScan succeeded", name)
		}
	}
	if _, err := ParseVulnScan(SLSAProvenanceV02, []byte(vulnPredicate("2026-11-01T10:05:00Z", trivyResult))); err == nil {
		t.Error("provenance type accepted as a scan")
	}
	if _, err := model.ParseScanSeverity("severe"); err == nil {
		t.Error("unknown severity accepted")
	}
}
