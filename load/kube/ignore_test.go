package kube

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/model"
)

func TestParseIgnore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []model.Ignore
	}{
		{in: "", want: nil},
		{in: " ; ;", want: nil},
		{in: "image-not-pinned: vendor image", want: []model.Ignore{{Rules: []string{"image-not-pinned"}, Reason: "vendor image"}}},
		{in: " a , b ,, : reason: with colon ", want: []model.Ignore{{Rules: []string{"a", "b"}, Reason: "reason: with colon"}}},
		{in: "a", want: []model.Ignore{{Rules: []string{"a"}}}},
		{in: "a:", want: []model.Ignore{{Rules: []string{"a"}}}},
		{in: ": why", want: []model.Ignore{{Reason: "why"}}},
		{in: "a: one; b,c: two;", want: []model.Ignore{
			{Rules: []string{"a"}, Reason: "one"},
			{Rules: []string{"b", "c"}, Reason: "two"},
		}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, ParseIgnore(tt.in)); diff != "" {
			t.Errorf("ParseIgnore(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}
