package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// reports are the reports every machine-readable format is validated on.
func reports() map[string]*Report {
	full := fixtureReport()
	full.Rules = rules.All()
	return map[string]*Report{
		"fixture": fixtureReport(),
		"catalog": full,
		"hostile": hostileReport(),
		"empty":   {Tool: Tool{Name: "immutcheck"}, FailOn: rules.None},
	}
}

// TestSARIFValidates checks the output against the official OASIS SARIF
// 2.1.0 schema (testdata/README.md says where it comes from).
func TestSARIFValidates(t *testing.T) {
	t.Parallel()
	for name, r := range reports() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := Write(&b, SARIF, r, Options{}); err != nil {
				t.Fatal(err)
			}
			validate(t, sarifSchemaOnce, b.Bytes())
		})
	}
}

// sarifOut is the part of a SARIF log the tests look at.
type sarifOut struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID         string `json:"id"`
					Properties struct {
						SecuritySeverity string `json:"security-severity"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []sarifResult `json:"results"`
	} `json:"runs"`
}

func decodeSARIF(t testing.TB, r *Report) sarifOut {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, SARIF, r, Options{}); err != nil {
		t.Fatal(err)
	}
	var out sarifOut
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatalf("decode: %v", err)
	}
	if len(out.Runs) != 1 {
		t.Fatalf("got %d runs, want 1", len(out.Runs))
	}
	return out
}

func TestSARIFResults(t *testing.T) {
	t.Parallel()
	r := fixtureReport()
	out := decodeSARIF(t, r).Runs[0]
	if len(out.Results) != len(r.Findings) {
		t.Fatalf("got %d results, want %d", len(out.Results), len(r.Findings))
	}
	for i, res := range out.Results {
		f := r.Findings[i]
		if got := out.Tool.Driver.Rules[res.RuleIndex].ID; got != res.RuleID || got != f.Rule.ID {
			t.Errorf("result %d: ruleIndex points at %q, ruleId %q, want %q", i, got, res.RuleID, f.Rule.ID)
		}
		if f.Location.Line == 0 && res.Locations[0].PhysicalLocation.Region != nil {
			t.Errorf("result %d: region for unknown line", i)
		}
		if f.Suppressed != (len(res.Suppressions) == 1) {
			t.Errorf("result %d: suppressions = %v, suppressed = %v", i, res.Suppressions, f.Suppressed)
		}
	}
	// A rule that only a finding names still gets a descriptor.
	r.Rules = nil
	out = decodeSARIF(t, r).Runs[0]
	for i, res := range out.Results {
		if got := out.Tool.Driver.Rules[res.RuleIndex].ID; got != res.RuleID {
			t.Errorf("without catalog, result %d: ruleIndex points at %q, want %q", i, got, res.RuleID)
		}
	}
}

func TestSARIFLevels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		sev          rules.Severity
		level, score string
	}{
		{rules.Critical, "error", "9.5"},
		{rules.High, "error", "8.0"},
		{rules.Medium, "warning", "5.5"},
		{rules.Low, "note", "3.0"},
		{rules.Info, "note", "1.0"},
	}
	for _, tt := range tests {
		if got := sarifLevel(tt.sev); got != tt.level {
			t.Errorf("sarifLevel(%v) = %q, want %q", tt.sev, got, tt.level)
		}
		if got := securitySeverity(tt.sev); got != tt.score {
			t.Errorf("securitySeverity(%v) = %q, want %q", tt.sev, got, tt.score)
		}
	}
}

func TestArtifactLocation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		path string
		want sarifArtifact
	}{
		{"deploy/web.yaml", sarifArtifact{URI: "deploy/web.yaml", URIBaseID: srcRoot}},
		{"./deploy/my app.yaml", sarifArtifact{URI: "deploy/my%20app.yaml", URIBaseID: srcRoot}},
		{"c:x.yaml", sarifArtifact{URI: "c%3Ax.yaml", URIBaseID: srcRoot}},
		{"a#b?c%d.yaml", sarifArtifact{URI: "a%23b%3Fc%25d.yaml", URIBaseID: srcRoot}},
		{"bad\xff\x1b\n.yaml", sarifArtifact{URI: "bad%FF%1B%0A.yaml", URIBaseID: srcRoot}},
		{"/srv/app/k8s.yaml", sarifArtifact{URI: "file:///srv/app/k8s.yaml"}},
		{"-", sarifArtifact{URI: "-", URIBaseID: srcRoot}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, artifactLocation(tt.path)); diff != "" {
			t.Errorf("artifactLocation(%q) (-want +got):\n%s", tt.path, diff)
		}
	}
}

func TestFingerprint(t *testing.T) {
	t.Parallel()
	base := rules.Finding{Rule: ruleNotPinned, Subject: "Deployment/web", Message: "m", Location: model.Location{File: "a.yaml", Line: 3}}
	moved := base
	moved.Location.Line = 40
	if fingerprint(base) != fingerprint(moved) {
		t.Error("fingerprint changes when the finding moves to another line")
	}
	for name, change := range map[string]func(*rules.Finding){
		"rule":    func(f *rules.Finding) { f.Rule = ruleSSH },
		"file":    func(f *rules.Finding) { f.Location.File = "b.yaml" },
		"subject": func(f *rules.Finding) { f.Subject = "Deployment/api" },
		"message": func(f *rules.Finding) { f.Message = "n" },
		// the separator keeps "ab"+"c" apart from "a"+"bc"
		"split": func(f *rules.Finding) { f.Subject, f.Message = "Deployment/web"+"m", "" },
	} {
		other := base
		change(&other)
		if fingerprint(base) == fingerprint(other) {
			t.Errorf("fingerprint ignores a change of %s", name)
		}
	}
}

func TestPascalCase(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"image-not-pinned": "ImageNotPinned", "ssh-access": "SshAccess", "x": "X", "a--b-": "AB"} {
		if got := pascalCase(in); got != want {
			t.Errorf("pascalCase(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSARIFHelpLinksExist checks that the page every rule's helpUri points
// at is in the repository.
func TestSARIFHelpLinksExist(t *testing.T) {
	t.Parallel()
	for _, rl := range rules.All() {
		page := filepath.Join("..", "docs", "rules", rl.ID+".md")
		if _, err := os.Stat(page); err != nil {
			t.Errorf("rule %s: helpUri points at %s, which is missing: %v", rl.ID, page, err)
		}
		if want := ruleDocBase + rl.ID + ".md"; toSARIFRule(rl).HelpURI != want {
			t.Errorf("rule %s: helpUri %q, want %q", rl.ID, toSARIFRule(rl).HelpURI, want)
		}
	}
}
