package dockerfile

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
	"github.com/immutcheck/immutcheck/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// summary is the part of a loaded file the golden files pin, in a form that
// reads well as JSON (errors as strings).
type summary struct {
	Problems []string        `json:",omitempty"`
	Bases    []base          `json:",omitempty"`
	Fetches  []model.Fetch   `json:",omitempty"`
	Steps    []model.Command `json:",omitempty"`
	Ports    []model.Port    `json:",omitempty"`
	Start    []model.Command `json:",omitempty"`
	Ignores  []model.Ignore  `json:",omitempty"`
}

type base struct {
	Ref      string
	Location model.Location
	Pinned   bool   `json:",omitempty"`
	Err      string `json:",omitempty"`
}

func summarize(f *model.File) summary {
	var s summary
	for _, p := range f.Problems {
		s.Problems = append(s.Problems, p.Location.String()+": "+p.Err.Error())
	}
	for _, b := range f.Builds {
		for _, a := range b.Bases {
			x := base{Ref: a.Ref, Location: a.Location, Pinned: a.Pinned()}
			if a.Err != nil {
				x.Err = a.Err.Error()
			}
			s.Bases = append(s.Bases, x)
		}
		s.Fetches = append(s.Fetches, b.Fetches...)
		s.Steps = append(s.Steps, b.Steps...)
		s.Ports = append(s.Ports, b.Ports...)
		s.Start = append(s.Start, b.Start...)
		s.Ignores = append(s.Ignores, b.Ignores...)
	}
	return s
}

// TestGolden loads every testdata/*.Dockerfile and compares the result with
// the .golden.json next to it. Run with -update to rewrite the golden files
// after checking the difference by eye.
func TestGolden(t *testing.T) {
	t.Parallel()
	golden := func(path string) string { return strings.TrimSuffix(path, ".Dockerfile") + ".golden.json" }
	view := func(path string, data []byte) any { return summarize(Load(filepath.Base(path), data)) }
	loadtest.GoldenFiles(t, "testdata/*.Dockerfile", golden, view, *update)
}
