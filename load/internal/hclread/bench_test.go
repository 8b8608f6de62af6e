package hclread

import (
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

// BenchmarkParseHostile measures the worst case the size limit allows:
// MaxBytes of nested brackets.
func BenchmarkParseHostile(b *testing.B) {
	n := (MaxBytes - 20) / 2
	doc := []byte("a = " + strings.Repeat("[", n) + strings.Repeat("]", n) + "\n")
	b.SetBytes(int64(len(doc)))
	defer loadtest.ReportCPU(b)()
	for b.Loop() {
		if _, err := Parse("x.hcl", doc); err == nil {
			b.Fatal("nesting not rejected")
		}
	}
}
