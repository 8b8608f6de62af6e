package cluster

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestDependencyFence keeps the source a source: it reads the cluster
// into the model and never decides (package rules) nor acts on what was
// decided (package remediate/...).
func TestDependencyFence(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if path == "github.com/immutcheck/immutcheck/rules" || strings.HasPrefix(path, "github.com/immutcheck/immutcheck/remediate") {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
}
