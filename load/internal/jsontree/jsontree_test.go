package jsontree

import (
	"errors"
	"strings"
	"testing"
)

func TestParseLines(t *testing.T) {
	t.Parallel()
	doc := "{\n \"a\": \"x\",\n \"b\": [\n  1,\n  {\"c\": true}\n ],\n \"n\": 9007199254740993\n}\n"
	n, err := Parse([]byte(doc), 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := n.Get("a").Line; got != 2 {
		t.Errorf("a line = %d, want 2", got)
	}
	if got := n.Get("b").Line; got != 3 {
		t.Errorf("b line = %d, want 3", got)
	}
	items := n.Get("b").Items()
	if len(items) != 2 || items[0].Line != 4 || items[1].Get("c").Line != 5 {
		t.Errorf("array lines wrong: %+v", items)
	}
	if b, ok := items[1].Get("c").Bool(); !ok || !b {
		t.Errorf("c = %v %v", b, ok)
	}
	if got := n.Get("n").Text; got != "9007199254740993" {
		t.Errorf("big integer = %s, want exact text", got)
	}
	if n.Get("missing") != nil || n.Get("a").Get("x") != nil {
		t.Error("Get on missing key or non-object must be nil")
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc, want string
		line            int
	}{
		{"duplicate key", "{\"a\": 1,\n\"a\": 2}", "duplicate key", 2},
		{"trailing data", "{}\n{}", "trailing data", 2},
		{"syntax", "{\n\n\"a\" 1}", "invalid character", 3},
		{"truncated", "{\"a\": [1, 2", "unexpected EOF", 1},
		{"deep", strings.Repeat("[", 50) + strings.Repeat("]", 50), "nesting deeper", 1},
		{"empty", "", "EOF", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(tt.doc), 10)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *SyntaxError", err)
			}
			if !strings.Contains(err.Error(), tt.want) || se.Line != tt.line {
				t.Errorf("err = %v (line %d), want %q at line %d", err, se.Line, tt.want, tt.line)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":null}]}`, `{"a":1,"a":2}`, `[[[[`, `{} x`, `"\ud800"`, `1e400`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := Parse(data, 64)
		if err == nil && n == nil {
			t.Fatal("nil node without error")
		}
	})
}
