package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/immutcheck/immutcheck/internal/corpus"
)

// TestScanCorpus scans every real-world file of the shared corpus through
// the command line: no crash, valid JSON and schema-valid SARIF, every
// finding located, and load errors only where the loaders' own corpus tests
// expect them.
func TestScanCorpus(t *testing.T) {
	dir := corpus.Dir(t, "")
	code, out, errOut := run(t, "", "scan", "--format", "json", dir)
	if code != ExitCouldNotCheck && code != ExitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Findings []struct {
			Rule     string `json:"rule"`
			Message  string `json:"message"`
			Location struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"location"`
		} `json:"findings"`
		Summary struct {
			Files int `json:"files"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("json output: %v", err)
	}
	if doc.Summary.Files < 500 || len(doc.Findings) < 1000 {
		t.Errorf("checked %d files with %d findings; the corpus has over 500 declarations", doc.Summary.Files, len(doc.Findings))
	}
	rejectedK8s := map[string]bool{}
	for _, f := range doc.Findings {
		if f.Location.File == "" || !strings.HasPrefix(f.Location.File, dir) {
			t.Errorf("finding %s not located in the corpus: %+v", f.Rule, f.Location)
		}
		if f.Rule == "load-error" && strings.Contains(f.Location.File, "/k8s/") {
			rejectedK8s[f.Location.File] = true
		}
	}
	// load/kube's corpus test lists and justifies each of these files.
	if len(rejectedK8s) != 9 {
		t.Errorf("%d Kubernetes files rejected, want the 9 that load/kube's corpus test expects: %v", len(rejectedK8s), rejectedK8s)
	}

	code, sarif, _ := run(t, "", "scan", "--format", "sarif", filepath.Join(dir, "k8s"))
	if code != ExitCouldNotCheck {
		t.Fatalf("sarif scan exit %d", code)
	}
	validateSARIF(t, []byte(sarif))
}

func validateSARIF(t *testing.T, out []byte) {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot(t), "report", "testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("file:///sarif.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("file:///sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("sarif is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("sarif does not validate: %v", err)
	}
}
