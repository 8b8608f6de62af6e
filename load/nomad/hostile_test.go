package nomad

import (
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

func TestLoadRejects(t *testing.T) {
	t.Parallel()
	loadtest.WantRejects(t, "job.hcl", Load, []loadtest.Reject{
		{Name: "hcl syntax", Doc: "job \"x\" {\n  group \"g\" {\n    count = \n}", Want: "parse nomad job", Line: 3},
		{Name: "no job", Doc: "variable \"x\" {}\n", Want: "no job block", Line: 0},
		{Name: "json syntax", Doc: "{\n\"Job\": {\n}}}", Want: "parse nomad json job", Line: 3},
		{Name: "json without groups", Doc: `{"Job": {"ID": "x"}}`, Want: "no Job.TaskGroups", Line: 0},
		{Name: "json duplicate", Doc: `{"Job": {"TaskGroups": [], "TaskGroups": []}}`, Want: "duplicate key", Line: 1},
		{Name: "unclosed heredoc", Doc: "job \"x\" {\n  meta = <<EOF\n", Want: "Unterminated template", Line: 3},
	})
}

// TestExpressionsNotEvaluated checks that function calls and for
// expressions are not evaluated: the image stays unknown and is reported as
// not checkable rather than evaluated at any cost.
func TestExpressionsNotEvaluated(t *testing.T) {
	t.Parallel()
	doc := `job "x" {
  group "g" {
    task "t" {
      driver = "docker"
      config {
        image = join("", [for i in range(100000) : "a"])
      }
    }
  }
}`
	f := Load("job.hcl", []byte(doc))
	if len(f.Problems) != 0 || len(f.Workloads) != 1 {
		t.Fatalf("problems %v, workloads %d", f.Problems, len(f.Workloads))
	}
	img := f.Workloads[0].Containers[0].Image
	if img.Err == nil || !strings.HasPrefix(img.Ref, "join(") {
		t.Errorf("image = %q (err %v), want the unevaluated source text", img.Ref, img.Err)
	}
}

func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		"job \"a\" {\n group \"g\" {\n  update { auto_revert = true }\n  task \"t\" {\n   driver = \"docker\"\n   config { image = \"x:1\" }\n  }\n }\n}",
		"variable \"v\" { default = \"a\" }\nlocals { l = \"${var.v}\" }\njob \"j\" { task \"t\" { driver = \"raw_exec\" config { command = local.l } } }",
		`{"Job":{"TaskGroups":[{"Tasks":[{"Driver":"docker","Config":{"image":"x","volumes":["/a:/b"]}}]}]}}`,
		"job {", "{", "job \"x\" { group \"g\" { network { port \"p\" { static = 99999999999999999999 } } } }",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file := Load("fuzz.hcl", data)
		_ = loadtest.Findings(t, file)
	})
}
