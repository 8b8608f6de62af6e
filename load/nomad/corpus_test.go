package nomad

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

// corpusCounts are facts of the corpus: findings per rule over all 60 jobs.
var corpusCounts = map[string]int{
	"host-path-volume": 17, "image-latest-tag": 6, "image-not-pinned": 44, "missing-health-probe": 46,
	"no-automatic-rollback": 45, "privileged-instance": 42, "writable-root-filesystem": 77,
}

// TestCorpus loads the 60 jobs of the corpus. None is rejected: every job of
// Nomad's examples and e2e tests parses, including example-short-bad.json,
// which is "bad" only for Nomad's own validation (its ID has a space), and
// sleeper.nomad, whose task sits directly in the job.
func TestCorpus(t *testing.T) {
	t.Parallel()
	files := loadtest.Corpus{Dir: "nomad", AtLeast: 60, Load: Load}.Run(t)
	for _, f := range files {
		if len(f.Workloads) == 0 {
			t.Errorf("%s: no task groups loaded", filepath.Base(f.Path))
		}
	}
	if diff := cmp.Diff(corpusCounts, loadtest.FindingCounts(t, files)); diff != "" {
		t.Errorf("finding counts (-want +got):\n%s", diff)
	}
}
