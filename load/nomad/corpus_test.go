package nomad

import (
	"path/filepath"
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

// corpusRejected are the corpus files that must be rejected, with why.
var corpusRejected = map[string]string{}

func TestCorpus(t *testing.T) {
	t.Parallel()
	for _, path := range loadtest.Files(t, "nomad") {
		f := Load(path, loadtest.Read(t, path))
		rej := loadtest.Rejected(f)
		_, want := corpusRejected[filepath.Base(path)]
		switch {
		case want && len(rej) == 0:
			t.Errorf("%s: loaded, want rejected", filepath.Base(path))
		case !want && len(rej) > 0:
			t.Errorf("%s: rejected at %v: %v", filepath.Base(path), rej[0].Location, rej[0].Err)
		case !want && len(f.Workloads) == 0:
			t.Errorf("%s: no task groups loaded", filepath.Base(path))
		}
		_ = loadtest.Findings(t, f)
	}
}
