package layering

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/immutcheck/immutcheck"

// fence says whether packages matching from may import packages matching
// to. Patterns are relative to the module: "rules" is one package,
// "load/..." is load and everything below it, "..." is every package.
type fence struct {
	from, to string
	allowed  bool
	why      string
}

// fences are read in order: the first whose from and to match an import
// decides it; an import no fence matches is allowed. Only the packages
// themselves count, not their tests: a test may run the catalog over what
// it loaded.
var fences = []fence{
	{"cmd/immutcheck", "internal/cli", true, ""},
	{"...", "internal/cli", false, "only main runs the commands"},

	{"load/internal/loadtest", "rules", true, "test support: runs the catalog over what a loader loaded"},
	{"load/internal/loadtest", "internal/corpus", true, "test support: reads the shared corpus"},
	{"load/...", "model", true, ""},
	{"load/...", "load/...", true, ""},
	{"load/...", "internal/regfile", true, "opens a named path without blocking, refusing what is not a regular file"},
	{"load/...", "...", false, "loaders know formats and build the model, nothing else"},

	{"rules", "model", true, ""},
	{"rules", "...", false, "rules read only the model"},
	{"model", "...", false, "the model is plain values and depends on nothing of ours"},

	{"report", "rules", true, ""},
	{"report", "model", true, ""},
	{"report", "...", false, "reporters render findings of the catalog and nothing else"},

	{"live/...", "rules", false, "live sources return model values; the catalog decides"},
	{"live/...", "report", false, "live sources return model values; reporters render"},
	{"live/...", "remediate/...", false, "a source observes; remediation is the command's to call"},
	{"drift/...", "rules", false, "drift returns model values; the catalog decides"},
	{"drift/...", "report", false, "drift returns model values; reporters render"},
	{"drift/...", "remediate/...", false, "drift observes; remediation is the command's to call"},
	{"registry", "rules", false, "the registry client returns model values; the catalog decides"},
	{"registry", "report", false, "the registry client returns model values; reporters render"},
}

// match reports whether the module-relative package path matches pattern.
func match(pattern, path string) bool {
	if pattern == "..." {
		return true
	}
	if prefix, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == prefix || strings.HasPrefix(path, prefix+"/")
	}
	return path == pattern
}

// breach returns why from may not import to, or "" when it may.
func breach(from, to string) string {
	for _, f := range fences {
		if match(f.from, from) && match(f.to, to) {
			if f.allowed {
				return ""
			}
			return f.why
		}
	}
	return ""
}

// imports returns the module's packages, each with the packages of the
// module it imports, as paths relative to the module.
func imports(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Imports", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	graph := map[string][]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		from, ok := relative(p.ImportPath)
		if !ok {
			continue
		}
		graph[from] = nil
		for _, imp := range p.Imports {
			if to, ok := relative(imp); ok {
				graph[from] = append(graph[from], to)
			}
		}
	}
	return graph
}

// relative returns path relative to the module, if it is in the module.
func relative(path string) (string, bool) {
	if path == module {
		return ".", true
	}
	return strings.CutPrefix(path, module+"/")
}

// TestFences fails for every import of the module that crosses a fence,
// naming the importer, the import and the reason.
func TestFences(t *testing.T) {
	t.Parallel()
	graph := imports(t)
	if _, ok := graph["rules"]; !ok || len(graph) < 10 {
		t.Fatalf("go list found %d packages, not the module's", len(graph))
	}
	for _, from := range slices.Sorted(maps.Keys(graph)) {
		for _, to := range graph[from] {
			if why := breach(from, to); why != "" {
				t.Errorf("%s imports %s: %s", from, to, why)
			}
		}
	}
}

// TestFencesHold checks the table itself: each forbidden import is
// caught, each allowed one is not.
func TestFencesHold(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from, to string
		allowed  bool
	}{
		{"cmd/immutcheck", "internal/cli", true},
		{"scan", "internal/cli", false},
		{"load/kube", "internal/cli", false},
		{"load/kube", "model", true},
		{"load/helm", "load/kube", true},
		{"load/terraform", "load/internal/tfres", true},
		{"load", "load/compose", true},
		{"load/internal/loadtest", "rules", true},
		{"load/internal/loadtest", "internal/corpus", true},
		{"load/kube", "internal/corpus", false},
		{"load/kube", "rules", false},
		{"load/internal/tfres", "rules", false},
		{"load/compose", "registry", false},
		{"load/compose", "internal/regfile", true},
		{"rules", "model", true},
		{"rules", "load/kube", false},
		{"model", "rules", false},
		{"model", "internal/corpus", false},
		{"report", "rules", true},
		{"report", "model", true},
		{"report", "load/kube", false},
		{"live/cluster", "rules", false},
		{"live/cluster", "report", false},
		{"live/docker", "remediate/docker", false},
		{"live/cluster", "load/kube", true},
		{"live/docker", "drift", true},
		{"drift", "rules", false},
		{"drift/pkgdb", "report", false},
		{"drift/baseline", "remediate", false},
		{"registry", "rules", false},
		{"registry", "report", false},
		{"registry", "verify", true},
		{"internal/cli", "rules", true},
	}
	for _, tt := range tests {
		why := breach(tt.from, tt.to)
		if got := why == ""; got != tt.allowed {
			t.Errorf("%s imports %s: allowed %v (%q), want %v", tt.from, tt.to, got, why, tt.allowed)
		}
	}
}
