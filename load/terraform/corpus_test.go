package terraform

import (
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

// TestCorpus loads every real plan of the corpus: none may panic, none is
// rejected, and they hold changes and resources.
func TestCorpus(t *testing.T) {
	t.Parallel()
	// Two fixtures edited by hand name "uniform_bucket_level_access" twice
	// in one object, which Terraform never writes: refused as every
	// duplicate key is.
	files := loadtest.Corpus{Dir: "terraform-plan", AtLeast: 70, Load: Load, Rejected: []string{
		"GoogleCloudPlatform__terraform-validator__test__read_planned_assets__tf0_12plan.applied.json",
		"GoogleCloudPlatform__terraform-validator__test__read_planned_assets__tf1_0plan.applied.json",
	}}.Run(t)
	var changes, resources int
	for _, f := range files {
		changes += len(f.Changes)
		resources += len(f.Resources)
	}
	if changes == 0 || resources == 0 {
		t.Errorf("loaded %d changes and %d resources; want some of each", changes, resources)
	}
	t.Logf("%d plans, %d changes, %d resources", len(files), changes, resources)
}
