package suppress

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		rules  []string
		reason string
		ok     bool
	}{
		{" immutcheck:ignore a b c", []string{"a"}, "b c", true},
		{"immutcheck:ignore a, b  reason ", []string{"a", "b"}, "reason", true},
		{" immutcheck:ignore\ta\treason", []string{"a"}, "reason", true},
		{" immutcheck:ignore a", []string{"a"}, "", true},
		{" immutcheck:ignore", nil, "", true},
		{" immutcheck:ignored a b", nil, "", false},
		{" something else", nil, "", false},
	}
	for _, tt := range tests {
		rules, reason, ok := Parse(tt.in)
		if diff := cmp.Diff([]any{tt.rules, tt.reason, tt.ok}, []any{rules, reason, ok}); diff != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}
