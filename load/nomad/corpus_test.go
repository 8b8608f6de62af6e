package nomad

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/internal/corpus"
	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

// corpusRejected are the corpus files that must be rejected, with why.
// None is: every job of Nomad's examples and e2e tests parses, including
// example-short-bad.json, which is "bad" only for Nomad's own validation
// (its ID has a space), and sleeper.nomad, whose task sits directly in the
// job.
var corpusRejected = map[string]string{}

// corpusCounts are facts of the corpus: findings per rule over all 60 jobs.
var corpusCounts = map[string]int{
	"host-path-volume": 17, "image-latest-tag": 6, "image-not-pinned": 44, "missing-health-probe": 46,
	"no-automatic-rollback": 45, "privileged-instance": 42, "writable-root-filesystem": 77,
}

func TestCorpus(t *testing.T) {
	t.Parallel()
	counts := map[string]int{}
	for _, path := range corpus.Files(t, "nomad") {
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
		for _, fd := range loadtest.Findings(t, f) {
			counts[strings.SplitN(fd, ":", 2)[0]]++
		}
	}
	if diff := cmp.Diff(corpusCounts, counts); diff != "" {
		t.Errorf("finding counts (-want +got):\n%s", diff)
	}
}
