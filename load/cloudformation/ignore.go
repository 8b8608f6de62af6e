package cloudformation

import (
	"bytes"
	"strings"

	"github.com/immutcheck/immutcheck/load/internal/suppress"
	"github.com/immutcheck/immutcheck/model"
	yaml "go.yaml.in/yaml/v3"
)

// attachIgnores reads "# immutcheck:ignore <rule>[,<rule>] <reason>"
// comments of a YAML template. A comment directly above a resource's
// logical ID covers the whole resource; one above a line inside it, or at
// the end of a line, covers that line.
func attachIgnores(f *model.File, path string, data []byte, res *yaml.Node) {
	if !bytes.Contains(data, []byte(suppress.Marker)) {
		return
	}
	lines := strings.Split(string(data), "\n")
	starts := make([]int, 0, len(res.Content)/2)
	for i := 0; i+1 < len(res.Content); i += 2 {
		starts = append(starts, res.Content[i].Line)
	}
	for n, line := range lines {
		i := strings.Index(line, "#")
		if i < 0 || !strings.Contains(line[i:], suppress.Marker) {
			continue
		}
		rules, reason, ok := suppress.Parse(strings.TrimPrefix(line[i:], "#"))
		if !ok {
			continue
		}
		ig := model.Ignore{Rules: rules, Reason: reason, Location: model.Location{File: path, Line: n + 1, Column: i + 1}}
		target := n + 1
		if strings.TrimSpace(line[:i]) == "" {
			target = nextCodeLine(lines, n+1)
		}
		r := resourceFor(f, starts, target)
		if r == nil {
			continue
		}
		if target != r.Location.Line {
			ig.Line = target
		}
		r.Ignores = append(r.Ignores, ig)
	}
}

// resourceFor returns the resource whose lines hold line: the last one
// starting at or before it.
func resourceFor(f *model.File, starts []int, line int) *model.Resource {
	best := 0
	for _, s := range starts {
		if s <= line && s > best {
			best = s
		}
	}
	for _, r := range f.Resources {
		if r.Location.Line == best {
			return r
		}
	}
	return nil
}

func nextCodeLine(lines []string, n int) int {
	for l := n + 1; l <= len(lines); l++ {
		t := strings.TrimSpace(lines[l-1])
		if t != "" && !strings.HasPrefix(t, "#") {
			return l
		}
	}
	return n
}
