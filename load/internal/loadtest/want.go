package loadtest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/immutcheck/immutcheck/model"
)

// WantFindings fails t unless the catalog's findings over f, as
// "rule-id:line", are want in any order.
func WantFindings(t testing.TB, f *model.File, want []string) {
	t.Helper()
	if diff := cmp.Diff(Sorted(want), Findings(t, f)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// WantRejected fails t unless f's only problem is a rejection of f.Path at
// line (0: no line) whose error holds text, and nothing was loaded.
func WantRejected(t testing.TB, f *model.File, text string, line int) {
	t.Helper()
	if len(f.Problems) != 1 {
		t.Fatalf("problems = %v, want one rejection %q at line %d", f.Problems, text, line)
	}
	p := f.Problems[0]
	if p.Kind != model.Rejected || p.Location.File != f.Path || p.Location.Line != line || !strings.Contains(p.Err.Error(), text) {
		t.Errorf("problem %v at %v (kind %v), want a rejection %q at %s:%d", p.Err, p.Location, p.Kind, text, f.Path, line)
	}
	if n := len(f.Workloads) + len(f.Builds) + len(f.Changes) + len(f.Resources) + len(f.Reconcilers); n != 0 {
		t.Errorf("rejected, yet %d objects loaded", n)
	}
}
