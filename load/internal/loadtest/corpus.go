package loadtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/immutcheck/immutcheck/internal/corpus"
	"github.com/immutcheck/immutcheck/model"
)

// Loader loads one input: path names it, data is its content.
type Loader func(path string, data []byte) *model.File

// Corpus is a loader's test over one folder of the shared corpus of
// real-world inputs.
type Corpus struct {
	// Dir is the corpus folder, e.g. "compose".
	Dir string
	// AtLeast is the fewest files the folder must hold.
	AtLeast int
	// Load loads one file.
	Load Loader
	// Rejected are the base names of the files that must be rejected, each
	// for a reason the format's own tool shares; any other rejection fails.
	Rejected []string
}

// Run loads every file of the folder: none may panic, every problem must
// have a line, and exactly c.Rejected are rejected. It returns the files
// that loaded, in name order, for the test's own counts. Without the
// corpus the test skips, or fails where CI is set (package corpus).
func (c Corpus) Run(t *testing.T) []*model.File {
	t.Helper()
	paths := corpus.Files(t, c.Dir)
	if len(paths) < c.AtLeast {
		t.Fatalf("corpus folder %s has %d files, want at least %d", c.Dir, len(paths), c.AtLeast)
	}
	var loaded []*model.File
	rejected := []string{}
	for _, path := range paths {
		f := c.Load(path, Read(t, path))
		for _, p := range f.Problems {
			if p.Location.Line == 0 {
				t.Errorf("%s: problem without a line: %v", filepath.Base(path), p.Err)
			}
		}
		if rej := Rejected(f); len(rej) > 0 {
			rejected = append(rejected, filepath.Base(path))
			t.Logf("%s: rejected at %v: %v", filepath.Base(path), rej[0].Location, rej[0].Err)
			continue
		}
		loaded = append(loaded, f)
	}
	if diff := cmp.Diff(Sorted(c.Rejected), Sorted(rejected)); diff != "" {
		t.Errorf("rejected files of corpus folder %s (-want +got):\n%s", c.Dir, diff)
	}
	return loaded
}

// CorpusData reads every file of the corpus folder dir for a benchmark: the
// paths, the contents and their total size.
func CorpusData(b *testing.B, dir string) (paths []string, data [][]byte, size int64) {
	b.Helper()
	for _, path := range corpus.Files(b, dir) {
		d, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		paths = append(paths, path)
		data = append(data, d)
		size += int64(len(d))
	}
	return paths, data, size
}

// FindingCounts returns how many findings of each rule the catalog reports
// over files.
func FindingCounts(t testing.TB, files []*model.File) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, f := range files {
		for _, fd := range Findings(t, f) {
			id, _, _ := strings.Cut(fd, ":")
			counts[id]++
		}
	}
	return counts
}
