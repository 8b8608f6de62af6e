package dockerfile

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/immutcheck/immutcheck/model"
)

func TestPorts(t *testing.T) {
	t.Parallel()
	c := &converter{path: "D"}
	loc := model.Location{File: "D", Line: 3}
	tests := []struct {
		specs []string
		want  []model.Port
	}{
		{[]string{"22"}, []model.Port{{Number: 22, Location: loc}}},
		{[]string{"22/tcp", "53/UDP"}, []model.Port{{Number: 22, Protocol: "tcp", Location: loc}, {Number: 53, Protocol: "udp", Location: loc}}},
		{[]string{"8000-8010"}, []model.Port{{Number: 8000, Location: loc}}},
		{[]string{"1-1024/tcp"}, []model.Port{{Number: 22, Protocol: "tcp", Location: loc}}},
		{[]string{"22-22"}, []model.Port{{Number: 22, Location: loc}}},
		{[]string{"$PORT", "80-70", "99999", "-1", "a-b", ""}, nil},
	}
	for _, tt := range tests {
		if d := cmp.Diff(tt.want, c.ports(tt.specs, 3)); d != "" {
			t.Errorf("ports(%q) (-want +got):\n%s", tt.specs, d)
		}
	}
}

func TestParseIgnore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		comment string
		rules   []string
		reason  string
		ok      bool
	}{
		{" immutcheck:ignore a b c", []string{"a"}, "b c", true},
		{" immutcheck:ignore a,b reason", []string{"a", "b"}, "reason", true},
		{"immutcheck:ignore a, b  reason ", []string{"a", "b"}, "reason", true},
		{" immutcheck:ignore\ta\treason", []string{"a"}, "reason", true},
		{" immutcheck:ignore a", []string{"a"}, "", true},
		{" immutcheck:ignore", nil, "", true},
		{" immutcheck:ignored a b", nil, "", false},
		{" see immutcheck:ignore a b", nil, "", false},
		{" plain comment", nil, "", false},
	}
	for _, tt := range tests {
		rules, reason, ok := parseIgnore(tt.comment)
		if ok != tt.ok || reason != tt.reason || !cmp.Equal(rules, tt.rules) {
			t.Errorf("parseIgnore(%q) = %q, %q, %v; want %q, %q, %v", tt.comment, rules, reason, ok, tt.rules, tt.reason, tt.ok)
		}
	}
}

func TestColumn(t *testing.T) {
	t.Parallel()
	s := newSource([]byte("FROM  --platform=x  img:1 AS a\n\tfrom ${X}\nFROM \\\n  img\nFROM é img\n"))
	tests := []struct {
		line int
		word string
		want int
	}{
		{1, "img:1", 21},
		{2, "${X}", 7},
		{3, "img", 0}, // on the continuation line
		{5, "img", 0}, // not the first argument
		{9, "img", 0}, // no such line
	}
	for _, tt := range tests {
		if got := s.column(tt.line, tt.word); got != tt.want {
			t.Errorf("column(%d, %q) = %d, want %d", tt.line, tt.word, got, tt.want)
		}
	}
}
