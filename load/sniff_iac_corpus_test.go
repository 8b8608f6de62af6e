package load

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/immutcheck/immutcheck/internal/corpus"
)

// TestSniffIaCCorpus checks dispatch on the shared corpus: every plan and
// every CloudFormation file is recognised, and no file of another format
// is taken for one. Skips when the corpus is absent, unless CI is set.
func TestSniffIaCCorpus(t *testing.T) {
	t.Parallel()
	// The corpus root, which must hold the plans.
	root := filepath.Dir(corpus.Dir(t, "terraform-plan"))
	dirs, err := filepath.Glob(filepath.Join(root, "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		want := map[string]Kind{"terraform-plan": TerraformPlan, "cloudformation": CloudFormation}[filepath.Base(d)]
		files, _ := filepath.Glob(filepath.Join(d, "*"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				continue // a directory
			}
			k, _ := kindOfName(f)
			if k == Unknown {
				k = sniff(data)
			}
			iac := k == TerraformPlan || k == CloudFormation || k == TerraformConfig
			if (want != Unknown && k != want) || (want == Unknown && iac) {
				t.Errorf("%s: sniffed as %v", f, k)
			}
		}
	}
}
