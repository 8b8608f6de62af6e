package cloudformation

import (
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

// TestCorpus loads every real template and change set of the corpus: none
// may panic, none is rejected, and they hold changes and resources.
func TestCorpus(t *testing.T) {
	t.Parallel()
	files := loadtest.Corpus{Dir: "cloudformation", AtLeast: 100, Load: Load}.Run(t)
	var changes, resources int
	for _, f := range files {
		changes += len(f.Changes)
		resources += len(f.Resources)
	}
	if changes == 0 || resources == 0 {
		t.Errorf("loaded %d changes and %d resources; want some of each", changes, resources)
	}
	t.Logf("%d files, %d changes, %d resources", len(files), changes, resources)
}
