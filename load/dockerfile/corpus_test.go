package dockerfile

import (
	"path/filepath"
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
	"github.com/immutcheck/immutcheck/model"
)

// corpusRejected are the corpus files the loader must reject, each for a
// reason the builder would also refuse it.
var corpusRejected = []string{
	// A secrets-scanner fixture, not a Dockerfile: line 13 is "~" (an
	// editor's empty-line marker), an unknown instruction.
	"bridgecrewio__checkov__tests__secrets__resources__file_type__Dockerfile",
	// An end-to-end fixture that is broken on purpose ("WRONG DOCKERFILE").
	"docker__compose__pkg__e2e__fixtures__wrong-composefile__service1__Dockerfile",
}

// TestCorpus loads the 190 real Dockerfiles of the shared corpus: none may
// panic, exactly corpusRejected are rejected, and the rest yield what real
// Dockerfiles hold.
func TestCorpus(t *testing.T) {
	t.Parallel()
	load := func(path string, data []byte) *model.File { return Load(filepath.Base(path), data) }
	files := loadtest.Corpus{Dir: "dockerfile", AtLeast: 190, Load: load, Rejected: corpusRejected}.Run(t)
	var bases, unresolved, pinned, steps, start, fetches int
	for _, f := range files {
		for _, b := range f.Builds {
			if len(b.Bases) == 0 {
				t.Logf("%s: no external base (FROM scratch or ${ARG})", f.Path)
			}
			for _, a := range b.Bases {
				bases++
				if a.Err != nil {
					unresolved++
				}
				if a.Pinned() {
					pinned++
				}
				if a.Location.Line == 0 || a.Location.Column == 0 {
					t.Errorf("%s: base %q without a line and column", f.Path, a.Ref)
				}
			}
			steps += len(b.Steps)
			start += len(b.Start)
			fetches += len(b.Fetches)
		}
	}
	t.Logf("bases %d (unresolved %d, pinned %d), RUN steps %d, start commands %d, ADD fetches %d", bases, unresolved, pinned, steps, start, fetches)
	switch {
	case bases < 150:
		t.Errorf("found %d base images, want more than 150", bases)
	case unresolved > 10:
		t.Errorf("%d base images left unresolved, want at most 10", unresolved)
	case steps < 300:
		t.Errorf("found %d RUN steps, want at least 300", steps)
	case start < 120:
		t.Errorf("found %d start commands, want at least 120", start)
	}
}

// BenchmarkLoad loads every Dockerfile of the corpus once per iteration.
func BenchmarkLoad(b *testing.B) {
	_, data, size := loadtest.CorpusData(b, "dockerfile")
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range data {
			Load("Dockerfile", d)
		}
	}
}
