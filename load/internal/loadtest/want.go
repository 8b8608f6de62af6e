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

// WantRejected fails t unless f has exactly one Rejected problem, at line
// (0: no line), whose error holds text.
func WantRejected(t testing.TB, f *model.File, text string, line int) {
	t.Helper()
	rej := Rejected(f)
	if len(rej) != 1 || !strings.Contains(rej[0].Err.Error(), text) || rej[0].Location.Line != line {
		t.Fatalf("problems = %v, want one rejection %q at line %d", f.Problems, text, line)
	}
}
