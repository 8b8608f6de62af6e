package loadtest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// GoldenJSON compares v, as indented JSON, with the golden file. With
// update it rewrites the file first, to be checked by eye. The flag stays
// with each test package: a flag here would clash with theirs.
func GoldenJSON(t testing.TB, golden string, v any, update bool) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if d := cmp.Diff(strings.TrimSpace(string(want)), string(got)); d != "" {
		t.Errorf("%s (-want +got):\n%s", golden, d)
	}
}

// GoldenFiles runs a subtest for each file that pattern matches (there
// must be one): it compares view(path, data), as indented JSON, with the
// golden file that golden(path) names, as GoldenJSON does.
func GoldenFiles(t *testing.T, pattern string, golden func(path string) string, view func(path string, data []byte) any, update bool) {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures match %s: %v", pattern, err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			GoldenJSON(t, golden(path), view(path, Read(t, path)), update)
		})
	}
}
