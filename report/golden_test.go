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
		name   string
		f      Format
		opts   Options
		report func() *Report
	}{
		{"text", Text, Options{}, fixtureReport},
		{"text-color", Text, Options{Color: true}, fixtureReport},
		{"json", JSON, Options{}, fixtureReport},
		{"sarif", SARIF, Options{}, fixtureReport},
		{"junit", JUnit, Options{}, fixtureReport},
		{"policyreport", PolicyReport, Options{}, liveFixtureReport},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := Write(&b, tt.f, tt.report(), tt.opts); err != nil {
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
