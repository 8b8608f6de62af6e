package dockerfile

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/internal/corpus"
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
	files := corpus.Files(t, "dockerfile")
	if len(files) < 190 {
		t.Fatalf("corpus has %d Dockerfiles, want 190", len(files))
	}
	var rejected []string
	var bases, unresolved, pinned, steps, start, fetches int
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f := Load(filepath.Base(path), data)
		if len(f.Problems) > 0 {
			rejected = append(rejected, filepath.Base(path))
			for _, p := range f.Problems {
				if p.Location.Line == 0 {
					t.Errorf("%s: problem without a line: %v", path, p.Err)
				}
			}
			continue
		}
		for _, b := range f.Builds {
			if len(b.Bases) == 0 {
				t.Logf("%s: no external base (FROM scratch or ${ARG})", filepath.Base(path))
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
					t.Errorf("%s: base %q without a line and column", path, a.Ref)
				}
			}
			steps += len(b.Steps)
			start += len(b.Start)
			fetches += len(b.Fetches)
		}
	}
	sort.Strings(rejected)
	if d := cmp.Diff(corpusRejected, rejected); d != "" {
		t.Errorf("rejected files (-want +got):\n%s", d)
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
	var data [][]byte
	var size int64
	for _, path := range corpus.Files(b, "dockerfile") {
		d, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		data = append(data, d)
		size += int64(len(d))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range data {
			Load("Dockerfile", d)
		}
	}
}
