package dupkeys

import (
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

func TestCheckYAML(t *testing.T) {
	t.Parallel()
	tests := []struct{ data, want string }{
		{"a: 1\nb: {a: 2}\nc: [{a: 1}, {a: 2}]\n", ""},
		{"a: 1\nb:\n  x: 1\n  x: 2\n", `duplicate key "x" at line 4 (first at line 3)`},
		{"x: &r {a: 1}\ny: *r\nz: *r\n", ""},
		{"A: 1\na: 2\n", ""},
	}
	for _, tt := range tests {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(tt.data), &n); err != nil {
			t.Fatal(err)
		}
		err := CheckYAML(&n, 1000)
		if (tt.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.data, err, tt.want)
		}
	}
}
