package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs the command line in-process and returns the exit code and
// outputs.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const pinnedPod = `apiVersion: apps/v1
kind: Deployment
metadata: {name: ok}
spec:
  selector: {matchLabels: {a: b}}
  template:
    metadata: {labels: {a: b}}
    spec:
      containers:
        - name: c
          image: ghcr.io/acme/app:1@sha256:7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730
          readinessProbe: {exec: {command: ["true"]}}
          securityContext: {readOnlyRootFilesystem: true}
`

func TestExitCodes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := writeFile(t, dir, "good/d.yaml", pinnedPod)
	bad := writeFile(t, dir, "bad/d.yaml", strings.Replace(pinnedPod, "image: ghcr.io/acme/app:1@sha256:7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730", "image: ghcr.io/acme/app:1", 1))
	broken := writeFile(t, dir, "broken/d.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: [\n")
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"clean", []string{"scan", good}, ExitClean},
		{"findings", []string{"scan", bad}, ExitFindings},
		{"below fail-on", []string{"scan", "--fail-on", "critical", bad}, ExitClean},
		{"broken input", []string{"scan", broken}, ExitCouldNotCheck},
		{"broken beats findings", []string{"scan", bad, broken}, ExitCouldNotCheck},
		{"broken even with fail-on none", []string{"scan", "--fail-on", "none", broken}, ExitCouldNotCheck},
		{"missing path", []string{"scan", filepath.Join(dir, "nope.yaml")}, ExitCouldNotCheck},
		{"nothing to check", []string{"scan", empty}, ExitCouldNotCheck},
		{"nothing to check allowed", []string{"scan", "--allow-empty", empty}, ExitClean},
		{"unknown flag", []string{"scan", "--frobnicate", good}, ExitUsage},
		{"bad format", []string{"scan", "--format", "xml", good}, ExitUsage},
		{"bad fail-on", []string{"scan", "--fail-on", "severe", good}, ExitUsage},
		{"unknown rule disabled", []string{"scan", "--disable", "no-such-rule", good}, ExitUsage},
		{"missing config", []string{"scan", "--config", filepath.Join(dir, "none.yaml"), good}, ExitUsage},
		{"unknown command", []string{"frobnicate"}, ExitUsage},
		{"explain unknown", []string{"explain", "no-such-rule"}, ExitUsage},
	}
	for _, tt := range tests {
		code, out, errOut := run(t, "", tt.args...)
		if code != tt.want {
			t.Errorf("%s: exit %d, want %d\nstdout: %s\nstderr: %s", tt.name, code, tt.want, out, errOut)
		}
	}
}

func TestStdin(t *testing.T) {
	t.Parallel()
	code, out, _ := run(t, strings.Replace(pinnedPod, "@sha256:7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730", "", 1), "scan", "--format", "json", "-")
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1: %s", code, out)
	}
	var doc struct {
		Findings []struct {
			Rule     string `json:"rule"`
			Location struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"location"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != 1 || doc.Findings[0].Rule != "image-not-pinned" || doc.Findings[0].Location.File != "-" || doc.Findings[0].Location.Line != 11 {
		t.Fatalf("findings = %+v", doc.Findings)
	}
}

func TestConfigFoundUpward(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, ".immutcheck.yaml", "rules:\n  disable: [image-not-pinned]\n")
	p := writeFile(t, dir, "k8s/d.yaml", strings.Replace(pinnedPod, "@sha256:7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730", "", 1))
	if code, out, errOut := run(t, "", "scan", p); code != ExitClean {
		t.Fatalf("exit %d with the rule disabled in the config\n%s%s", code, out, errOut)
	}
	writeFile(t, dir, ".immutcheck.yaml", "rulez: {}\n")
	if code, _, errOut := run(t, "", "scan", p); code != ExitUsage || !strings.Contains(errOut, ".immutcheck.yaml") {
		t.Fatalf("bad config: exit %d, stderr %q", code, errOut)
	}
}

func TestOutputFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := writeFile(t, dir, "d.yaml", pinnedPod)
	out := filepath.Join(dir, "report.sarif")
	if code, _, errOut := run(t, "", "scan", "--format", "sarif", "--output", out, p); code != ExitClean {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(out)
	if err != nil || !json.Valid(data) || !bytes.Contains(data, []byte(`"2.1.0"`)) {
		t.Fatalf("report file: %v %.200s", err, data)
	}
}

func TestRulesAndExplain(t *testing.T) {
	t.Parallel()
	code, out, _ := run(t, "", "rules", "--format", "json")
	if code != 0 || !json.Valid([]byte(out)) || !strings.Contains(out, `"image-not-pinned"`) {
		t.Fatalf("rules --format json: %d %.200s", code, out)
	}
	code, out, _ = run(t, "", "explain", "host-path-volume")
	if code != 0 || !strings.Contains(out, "Fix:") || !strings.Contains(out, "disposable") {
		t.Fatalf("explain: %d %s", code, out)
	}
}

// TestRuleDocsUpToDate fails when docs/rules differs from what the catalog
// generates; run "make docs" to refresh it.
func TestRuleDocsUpToDate(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(repoRoot(t), "docs", "rules")
	want := ruleDocs()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("docs/rules missing; run make docs: %v", err)
	}
	if len(entries) != len(want) {
		t.Errorf("docs/rules has %d files, catalog generates %d; run make docs", len(entries), len(want))
	}
	for name, content := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(got) != content {
			t.Errorf("docs/rules/%s is stale; run make docs", name)
		}
	}
}

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

func TestPolicyReportFormat(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := writeFile(t, dir, "d.yaml", strings.Replace(pinnedPod, "@sha256:7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730", "", 1))
	code, out, errOut := run(t, "", "scan", "--format", "policyreport", "--fail-on", "none", p)
	if code != ExitClean {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// A static finding has no object: it goes to the ClusterPolicyReport,
	// stamped with the time of the run, below the threshold "none".
	for _, want := range []string{"kind: ClusterPolicyReport", "rule: image-not-pinned", "result: warn", "timestamp:\n", "location: " + p} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
