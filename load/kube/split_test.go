package kube

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplit(t *testing.T) {
	t.Parallel()
	type doc struct {
		Text string
		Line int
	}
	tests := []struct {
		in      string
		want    []doc
		errLine int
	}{
		{in: "", want: nil},
		{in: "a: 1", want: []doc{{"a: 1", 1}}},
		{in: "---\na: 1\n---\n# only a comment\n---   # comment\nb: 2\n", want: []doc{{"a: 1\n", 2}, {"b: 2\n", 6}}},
		{in: "a: 1\r\n---\r\nb: 2\r\n", want: []doc{{"a: 1\r\n", 1}, {"b: 2\r\n", 3}}},
		{in: "a: |\n  ---\n  text\n", want: []doc{{"a: |\n  ---\n  text\n", 1}}},
		{in: "a: 1\n--- b: 2\n", want: []doc{{"a: 1\n", 1}}, errLine: 2},
		{in: "a: 1\n----\n", want: []doc{{"a: 1\n", 1}}, errLine: 2},
		{in: "a: 1\n...\n", want: []doc{{"a: 1\n...\n", 1}}},
	}
	for _, tt := range tests {
		var got []doc
		err := split([]byte(tt.in), 1<<20, 100, func(d document) { got = append(got, doc{string(d.data), d.line}) })
		var le *limitError
		switch {
		case tt.errLine == 0 && err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case tt.errLine != 0 && (!errors.As(err, &le) || le.line != tt.errLine):
			t.Errorf("%q: err = %v, want an error at line %d", tt.in, err, tt.errLine)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.in, diff)
		}
	}
}
