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

// TestExamples checks the examples: every rule that reads declarations
// fires on the bad examples, exactly where their "# want:" annotations
// say, and the good examples have no unsuppressed finding at all.
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
	// Every rule that reads declarations fires here. Rules that read only
	// live sources run through the evaluator in the catalog's meta-test
	// (rules/cases_test.go) and against real components in their
	// end-to-end tests. A could-not-check rule (load-error) is left out:
	// it would turn the demo's verdict from findings (exit 1) into could
	// not check (exit 3); TestExitCodes covers it.
	for _, r := range rules.All() {
		if r.Reads&rules.Declarations != 0 && !r.CouldNotCheck && !fired[r.ID] {
			t.Errorf("rule %s reads declarations but never fires on examples/bad; add a bad example", r.ID)
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
