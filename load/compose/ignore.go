package compose

import (
	"github.com/immutcheck/immutcheck/load/internal/suppress"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"

	"github.com/immutcheck/immutcheck/model"
)

// attachIgnores reads "# immutcheck:ignore <rule>[,<rule>] <reason>"
// comments. A suppression applies to the line below it (other comment lines
// may sit between) when that line is a service key, a field or a list item
// of a service; it is attached to that service. The comment must be a real
// YAML comment (part of the node's head comment), not text inside a block
// scalar.
func attachIgnores(ws []*model.Workload, ix *index, data []byte) {
	byName := map[string]*model.Workload{}
	for _, w := range ws {
		byName[w.Name] = w
	}
	heads := headComments{}
	lines := strings.Split(string(data), "\n")
	// below[i] is the 1-based number of the first line after line i+1
	// that is not a comment.
	below := make([]int, len(lines))
	next := len(lines) + 1
	for i := len(lines) - 1; i >= 0; i-- {
		below[i] = next
		if !strings.HasPrefix(strings.TrimSpace(lines[i]), "#") {
			next = i + 1
		}
	}
	for i, raw := range lines {
		text := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if !strings.HasPrefix(text, "#") {
			continue
		}
		rules, reason, ok := parseIgnore(strings.TrimPrefix(text, "#"))
		if !ok {
			continue
		}
		target := below[i]
		k, found := ix.keys[target]
		w := byName[k.service]
		if !found || w == nil || !heads.has(k.node, text) {
			continue
		}
		col := utf8.RuneCountInString(raw) - utf8.RuneCountInString(strings.TrimLeft(raw, " \t")) + 1
		w.Ignores = append(w.Ignores, model.Ignore{
			Rules:    rules,
			Reason:   reason,
			Line:     target,
			Location: model.Location{File: ix.path, Line: i + 1, Column: col},
		})
	}
}

// headComments holds the lines of the head comment of each node, split
// once, so that checking many comments stays linear.
type headComments map[*yaml.Node]map[string]bool

// has reports whether line (trimmed) is a line of n's head comment.
func (h headComments) has(n *yaml.Node, line string) bool {
	set, ok := h[n]
	if !ok {
		set = map[string]bool{}
		for _, l := range strings.Split(n.HeadComment, "\n") {
			set[strings.TrimSpace(l)] = true
		}
		h[n] = set
	}
	return set[line]
}

// parseIgnore reads the text of a comment (after "#"); the syntax is
// suppress.Parse's.
func parseIgnore(comment string) (rules []string, reason string, ok bool) {
	return suppress.Parse(comment)
}
