package hclread

import (
	"errors"
	"strings"
	"testing"
)

func TestParseBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc, want string
		line            int
	}{
		{"deep brackets", "job \"x\" {\n a = " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n}\n", "nesting deeper", 2},
		{"deep blocks", strings.Repeat("g {\n", 600) + strings.Repeat("}\n", 600), "nesting deeper", 501},
		{"brackets hidden in strings", "a = " + strings.Repeat(`["]",`, 100000) + strings.Repeat("]", 100000) + "\n", "nesting deeper", 1},
		{"deep templates", "a = \"" + strings.Repeat("${\"", 600) + "\"\n", "nesting deeper", 1},
		{"too large", "# " + strings.Repeat("x", MaxBytes), "larger than", 0},
		{"syntax", "a = \n", "Invalid expression", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse("x.hcl", []byte(tt.doc))
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.want) || pe.Location.Line != tt.line {
				t.Fatalf("err = %v, want %q at line %d", err, tt.want, tt.line)
			}
		})
	}
	// Nesting within the bound parses.
	ok := "a = " + strings.Repeat("[", MaxNesting-1) + strings.Repeat("]", MaxNesting-1) + "\n"
	if _, err := Parse("x.hcl", []byte(ok)); err != nil {
		t.Errorf("nesting %d rejected: %v", MaxNesting-1, err)
	}
}

func TestEvaluator(t *testing.T) {
	t.Parallel()
	doc := `variable "tag" { default = "1.2" }
locals {
  image = "app:${local.tag}"
  tag   = var.tag
}
a = local.image
b = upper("x")
c = [for x in ["a"] : x]
d = var.missing
e = true
f = 4294967318
g = ["x", var.tag, upper("y")]
`
	body, err := Parse("x.hcl", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	e := NewEvaluator("x.hcl", []byte(doc), body)
	str := func(name string) (string, bool) { return e.String(Attr(body, name)) }
	for _, tt := range []struct {
		attr, want string
		known      bool
	}{
		{"a", "app:1.2", true},
		{"b", `upper("x")`, false},
		{"c", `[for x in ["a"] : x]`, false},
		{"d", "var.missing", false},
	} {
		if got, known := str(tt.attr); got != tt.want || known != tt.known {
			t.Errorf("%s = %q (known %v), want %q (%v)", tt.attr, got, known, tt.want, tt.known)
		}
	}
	if v, ok := e.Bool(Attr(body, "e")); !v || !ok {
		t.Errorf("e = %v %v", v, ok)
	}
	if v, ok := e.Int(Attr(body, "f")); !ok || v != 4294967318 {
		t.Errorf("f = %v %v", v, ok)
	}
	if got, ok := e.Strings(Attr(body, "g")); ok || strings.Join(got, ",") != `x,1.2,upper("y")` {
		t.Errorf("g = %q (ok %v)", got, ok)
	}
}
