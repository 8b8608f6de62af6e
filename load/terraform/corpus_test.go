package terraform

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/model"
)

// corpusDir returns the shared corpus folder sub, from IMMUTCHECK_CORPUS or
// ../shared/corpus next to the repository root. It skips when the folder is
// absent, unless CI is set.
func corpusDir(t testing.TB, sub string) string {
	t.Helper()
	root := os.Getenv("IMMUTCHECK_CORPUS")
	if root == "" {
		dir, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				t.Fatal("no go.mod above the test directory")
			}
			dir = parent
		}
		root = filepath.Join(dir, "..", "shared", "corpus")
	}
	d := filepath.Join(root, sub)
	if _, err := os.Stat(d); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("corpus folder %s is missing (set IMMUTCHECK_CORPUS)", sub)
		}
		t.Skipf("corpus folder %s is missing; set IMMUTCHECK_CORPUS to run", sub)
	}
	return d
}

// TestCorpus loads every real plan of the corpus: none may panic, and
// exactly the listed ones are rejected.
func TestCorpus(t *testing.T) {
	t.Parallel()
	dir := corpusDir(t, "terraform-plan")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	// None of the real plans is rejected.
	var wantRejected []string
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
