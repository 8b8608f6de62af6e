package loadtest

import (
	"fmt"
	"sort"
	"testing"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// Findings runs the whole catalog over f and returns "rule-id:line" for
// every finding, sorted.
func Findings(t testing.TB, f *model.File) []string {
	t.Helper()
	e, err := rules.NewEvaluator(rules.All(), rules.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, fd := range e.Evaluate(f) {
		out = append(out, fmt.Sprintf("%s:%d", fd.Rule.ID, fd.Location.Line))
	}
	sort.Strings(out)
	return out
}

// Sorted returns a sorted copy of s, never nil.
func Sorted(s []string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

// Rejected returns the problems of f that are Rejected.
func Rejected(f *model.File) []model.Problem {
	var out []model.Problem
	for _, p := range f.Problems {
		if p.Kind == model.Rejected {
			out = append(out, p)
		}
	}
	return out
}

// ReportCPU makes b report the process CPU time per operation
// (cpu-ns/op) when it ends; call it with defer right before the loop.
func ReportCPU(b *testing.B) func() {
	start := CPUTime()
	return func() {
		b.ReportMetric(float64((CPUTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}
