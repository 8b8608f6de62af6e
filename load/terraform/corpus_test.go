package terraform

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/internal/corpus"
	"github.com/immutcheck/immutcheck/model"
)

// TestCorpus loads every real plan of the corpus: none may panic, and
// exactly the listed ones are rejected.
func TestCorpus(t *testing.T) {
	t.Parallel()
	dir := corpus.Dir(t, "terraform-plan")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Two fixtures edited by hand name "uniform_bucket_level_access" twice
	// in one object, which Terraform never writes: refused as every
	// duplicate key is.
	wantRejected := []string{
		"GoogleCloudPlatform__terraform-validator__test__read_planned_assets__tf0_12plan.applied.json",
		"GoogleCloudPlatform__terraform-validator__test__read_planned_assets__tf1_0plan.applied.json",
	}
	var rejected []string
	var changes, resources int
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		f := Load(e.Name(), data)
		for _, p := range f.Problems {
			if p.Kind == model.Rejected {
				rejected = append(rejected, e.Name())
				t.Logf("%s: %v", e.Name(), p.Err)
			}
		}
		changes += len(f.Changes)
		resources += len(f.Resources)
	}
	sort.Strings(rejected)
	if diff := cmp.Diff(wantRejected, rejected); diff != "" {
		t.Errorf("rejected plans (-want +got):\n%s", diff)
	}
	if len(entries) < 70 || changes == 0 || resources == 0 {
		t.Errorf("loaded %d files, %d changes, %d resources; want 70 files and some of each", len(entries), changes, resources)
	}
	t.Logf("%d plans, %d changes, %d resources", len(entries), changes, resources)
}
