package loadtest

import (
	"maps"
	"path/filepath"
	"slices"
	"testing"
)

// WantFixtures loads each file of the package's testdata folder named in
// fixtures with load, in a subtest of its name, and fails unless the
// catalog's findings are the ones listed for it ("rule-id:line") in any
// order.
func WantFixtures(t *testing.T, load Loader, fixtures map[string][]string) {
	t.Helper()
	for _, file := range slices.Sorted(maps.Keys(fixtures)) {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			data := Read(t, filepath.Join("testdata", file))
			WantFindings(t, load(file, data), fixtures[file])
		})
	}
}

// Reject is an input a loader must reject.
type Reject struct {
	// Name names the case.
	Name string
	// Doc is the input.
	Doc string
	// Want is part of the error.
	Want string
	// Line is where the error is (0: the loader cannot know).
	Line int
}

// WantRejects loads each case as file with load, in a subtest of its name,
// and fails unless the case is rejected as WantRejected says.
func WantRejects(t *testing.T, file string, load Loader, cases []Reject) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			WantRejected(t, load(file, []byte(c.Doc)), c.Want, c.Line)
		})
	}
}
