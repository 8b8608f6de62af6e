package nomad

import (
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

func TestLoadRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc, want string
		line            int
	}{
		{"hcl syntax", "job \"x\" {\n  group \"g\" {\n    count = \n}", "parse nomad job", 3},
		{"no job", "variable \"x\" {}\n", "no job block", 0},
		{"json syntax", "{\n\"Job\": {\n}}}", "parse nomad json job", 3},
		{"json without groups", `{"Job": {"ID": "x"}}`, "no Job.TaskGroups", 0},
		{"json duplicate", `{"Job": {"TaskGroups": [], "TaskGroups": []}}`, "duplicate key", 1},
		{"unclosed heredoc", "job \"x\" {\n  meta = <<EOF\n", "Unterminated template", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			loadtest.WantRejected(t, Load("job.hcl", []byte(tt.doc)), tt.want, tt.line)
		})
	}
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
