package dockerfile

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// doubling is forty ARG lines, each twice the one before, then a FROM that
// names the last: 2^41 bytes if expanded without bound.
func doubling(n int) string {
	var b strings.Builder
	b.WriteString("ARG A0=ab\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "ARG A%d=${A%d}${A%d}\n", i, i-1, i-1)
	}
	fmt.Fprintf(&b, "FROM nginx:${A%d}\n", n)
	return b.String()
}

// TestExpansionBound: substitution that grows without bound stops at
// MaxExpandedBytes with a problem at the instruction that crossed it.
func TestExpansionBound(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 60<<10)
	tests := []struct {
		name     string
		data     string
		wantLine int
		want     string
	}{
		{"global ARG doubling", doubling(40), 20, "ARG: variables expand to more than"},
		{"stage ENV doubling", "FROM alpine\nENV A0=ab\n" + strings.ReplaceAll(strings.TrimSuffix(doubling(40)[len("ARG A0=ab\n"):], "FROM nginx:${A40}\n"), "ARG", "ENV") + "EXPOSE 80\n", 21, "ENV: variables expand to more than"},
		{"FROM repeating a long value", "ARG L=" + long + "\nFROM nginx:" + strings.Repeat("${L}", 40) + "\n", 2, "FROM: variables expand to more than"},
		{"EXPOSE repeating a long value", "FROM alpine\nARG L=" + long + "\nEXPOSE " + strings.Repeat("${L}", 40) + "\n", 3, "EXPOSE: variables expand to more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			f := Load("Dockerfile", []byte(tt.data))
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
			if len(f.Problems) != 1 {
				t.Fatalf("got %d problems, %d builds; want one problem", len(f.Problems), len(f.Builds))
			}
			p := f.Problems[0]
			if p.Location.Line != tt.wantLine || !strings.Contains(p.Err.Error(), tt.want) {
				t.Errorf("got line %d %q, want line %d %q", p.Location.Line, p.Err, tt.wantLine, tt.want)
			}
		})
	}
	// Below the bound the same chain resolves.
	f := Load("Dockerfile", []byte(doubling(10)))
	if len(f.Problems) != 0 || len(f.Builds) != 1 || len(f.Builds[0].Bases) != 1 || len(f.Builds[0].Bases[0].Ref) != len("nginx:")+2<<10 {
		t.Fatalf("doubling(10): %+v", f)
	}
}

// FuzzExpand checks that expanding any word with any argument values never
// panics and never returns more than the word and the budget together.
func FuzzExpand(f *testing.F) {
	f.Add("${A}${A}", "ab", "$B", uint8(3))
	f.Add("nginx:${A:-x}${B:+y}", "${B}${B}", "z", uint8(20))
	f.Add(strings.Repeat("${A}", 64), strings.Repeat("q", 4096), "${A}${A}", uint8(30))
	f.Add("${A%%*}${A#?}${A/a/b}", "\\$A", "'${A}'", uint8(1))
	f.Fuzz(func(t *testing.T, word, a, b string, rounds uint8) {
		va, vb := a, b
		args := []instructions.KeyValuePairOptional{{Key: "A", Value: &va}, {Key: "B", Value: &vb}}
		for range rounds % 48 {
			v := "${A}${B}${A}"
			args = append(args, instructions.KeyValuePairOptional{Key: "A", Value: &v})
		}
		x := newExpander('\\', []instructions.ArgCommand{{Args: args}})
		v, err := x.expand(word)
		if err == nil && len(v) > len(word)+MaxExpandedBytes {
			t.Fatalf("expanded to %d bytes", len(v))
		}
	})
}
