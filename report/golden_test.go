package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

func TestGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    Format
		opts Options
	}{
		{"text", Text, Options{}},
		{"text-color", Text, Options{Color: true}},
		{"json", JSON, Options{}},
		{"sarif", SARIF, Options{}},
		{"junit", JUnit, Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := Write(&b, tt.f, fixtureReport(), tt.opts); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("%s output differs from %s (-want +got):\n%s", tt.f, path, diff)
			}
		})
	}
}
