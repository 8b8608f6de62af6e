package cli

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/config"
	"github.com/immutcheck/immutcheck/load"
	"github.com/immutcheck/immutcheck/rules"
	"github.com/immutcheck/immutcheck/scan"
)

// coveredElsewhere names, for each rule that is not checked on
// declarations (it has no Check, or it needs input that examples/ must not
// contain), the tests that prove it fires and stays silent. The meta-test
// checks the tests exist.
var coveredElsewhere = map[string][]string{
	"load-error": {"TestExitCodes"},
	// drift: reported by the drift engine on real trees, not declarations.
	"package-drift":     {"TestClassifyRealRootfs", "TestClassify"},
	"account-drift":     {"TestClassifyRealRootfs", "TestClassify"},
	"etc-drift":         {"TestClassifyRealRootfs", "TestClassify"},
	"permission-drift":  {"TestClassifyRealRootfs", "TestClassify", "TestDriftCLI"},
	"executable-drift":  {"TestClassifyRealRootfs", "TestClassify"},
	"file-drift":        {"TestClassifyRealRootfs", "TestClassify"},
	"foreign-process":   {"TestForeignProcess"},
	"drift-unchecked":   {"TestWalkUnreadable", "TestDriftCLIIncomplete"},
	"unsigned-baseline": {"TestDriftCLI"},
	// Live registry rules: in-memory and real-registry (cosign) tests.
	"image-digest-not-found":         {"TestVerifyInMemory", "TestE2ERules"},
	"tag-moved":                      {"TestVerifyInMemory", "TestE2ERules"},
	"image-unsigned":                 {"TestVerifyInMemory", "TestE2ERules"},
	"signature-invalid":              {"TestVerifyInMemory", "TestE2ERules"},
	"provenance-missing":             {"TestVerifyInMemory", "TestE2ERules"},
	"provenance-mismatch":            {"TestVerifyInMemory", "TestE2ERules"},
	"vulnerability-scan-missing":     {"TestVerifyInMemory", "TestE2ERules"},
	"vulnerability-scan-stale":       {"TestVerifyInMemory", "TestE2ERules"},
	"vulnerabilities-over-threshold": {"TestVerifyInMemory", "TestE2ERules"},
	"rollback-image-missing":         {"TestE2ERules", "TestCheckRollbackImages", "TestE2EClusterRollbackImages"},
	"image-check-failed":             {"TestFaultBodies", "TestFaultUnreachable", "TestE2EFaults"},
	// Live Docker rule: fake-engine and real-engine tests.
	"running-digest-mismatch": {"TestDigestMismatch", "TestDockerEndToEnd", "TestE2ELiveRules"},
	// Live Kubernetes rules: snapshot unit tests and real control plane
	// tests (live/cluster).
	"replica-digest-skew":   {"TestLiveRules", "TestE2ELiveRules"},
	"pod-modified-in-place": {"TestLiveRules", "TestE2ELiveRules"},
	"ephemeral-container":   {"TestLiveRules", "TestE2ELiveRules"},
	"node-image-skew":       {"TestLiveRules", "TestE2ELiveRules"},
	"instance-too-old":      {"TestLiveRules", "TestE2ELiveRules"},
	"exec-session":          {"TestAuditLog", "TestE2EAuditLog"},
	"cluster-unchecked":     {"TestE2EClusterRBAC", "TestE2EClusterFaults"},
}

var wantRe = regexp.MustCompile(`#\s*want:\s*(.+)$`)

// wants reads the "# want: rule, rule" annotations of a file. A trailing
// annotation applies to its own line; one alone on a line applies to the
// next line that is not a comment.
func wants(t *testing.T, path string) map[string]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]bool{}
	var pending []string
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		trimmed := strings.TrimSpace(text)
		m := wantRe.FindStringSubmatch(text)
		var ids []string
		if m != nil {
			for _, id := range strings.Split(m[1], ",") {
				ids = append(ids, strings.TrimSpace(id))
			}
		}
		switch {
		case strings.HasPrefix(trimmed, "#") && m != nil:
			pending = append(pending, ids...)
			continue
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			continue
		}
		for _, id := range append(pending, ids...) {
			out[fmt.Sprintf("%d %s", line, id)] = true
		}
		pending = nil
	}
	return out
}

func scanExamples(t *testing.T, dir string) []rules.Finding {
	t.Helper()
	cfg, err := config.Read(filepath.Join(repoRoot(t), "examples", config.FileName))
	if err != nil {
		t.Fatal(err)
	}
	settings, _, err := settingsFrom(cfg, "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := rules.NewEvaluator(rules.All(), settings)
	if err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(context.Background(), scan.Options{Paths: []string{dir}, Load: load.Options{Limits: load.DefaultLimits()}}, ev)
	if err != nil {
		t.Fatal(err)
	}
	return res.Findings
}

// TestExamples is the catalog's meta-test: every rule fires on the bad
// examples exactly where their "# want:" annotations say, and the good
// examples have no unsuppressed finding at all.
func TestExamples(t *testing.T) {
	root := repoRoot(t)
	bad := filepath.Join(root, "examples", "bad")
	fired := map[string]bool{}
	got := map[string]map[string]bool{}
	for _, f := range scanExamples(t, bad) {
		if f.Suppressed {
			continue
		}
		fired[f.Rule.ID] = true
		file := f.Location.File
		if got[file] == nil {
			got[file] = map[string]bool{}
		}
		got[file][fmt.Sprintf("%d %s", f.Location.Line, f.Rule.ID)] = true
	}
	err := filepath.WalkDir(bad, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".json") {
			return err
		}
		want := wants(t, p)
		if len(want) == 0 && len(got[p]) == 0 {
			return nil
		}
		if diff := setDiff(want, got[p]); diff != "" {
			t.Errorf("%s: findings differ from # want annotations:\n%s", p, diff)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := testNames(t, root)
	for _, r := range rules.All() {
		if names, ok := coveredElsewhere[r.ID]; ok {
			for _, n := range names {
				if !tests[n] {
					t.Errorf("rule %s: covering test %s does not exist", r.ID, n)
				}
			}
			continue
		}
		if !fired[r.ID] {
			t.Errorf("rule %s never fires on examples/bad; add a bad example (or list its tests in coveredElsewhere)", r.ID)
		}
	}
	for _, f := range scanExamples(t, filepath.Join(root, "examples", "good")) {
		if !f.Suppressed {
			t.Errorf("examples/good: %s %s: %s: %s", f.Location, f.Rule.ID, f.Subject, f.Message)
		}
	}
}

func setDiff(want, got map[string]bool) string {
	var lines []string
	for k := range want {
		if !got[k] {
			lines = append(lines, "  missing: line "+k)
		}
	}
	for k := range got {
		if !want[k] {
			lines = append(lines, "  unexpected: line "+k)
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// testNames returns the names of all Test functions in the module.
func testNames(t *testing.T, root string) map[string]bool {
	t.Helper()
	re := regexp.MustCompile(`(?m)^func (Test\w+)\(`)
	names := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || (strings.HasPrefix(d.Name(), ".") && p != root)) {
			return filepath.SkipDir
		}
		if strings.HasSuffix(p, "_test.go") {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, m := range re.FindAllSubmatch(data, -1) {
				names[string(m[1])] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}
