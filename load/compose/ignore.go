package compose

import (
	"strings"
	"unicode/utf8"

	"github.com/immutcheck/immutcheck/model"
)

// ignoreMarker starts a suppression comment.
const ignoreMarker = "immutcheck:ignore"

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
	lines := strings.Split(string(data), "\n")
	for i, raw := range lines {
		text := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if !strings.HasPrefix(text, "#") {
			continue
		}
		rules, reason, ok := parseIgnore(strings.TrimPrefix(text, "#"))
		if !ok {
			continue
		}
		target := i + 2 // 1-based line below
		for target <= len(lines) && strings.HasPrefix(strings.TrimSpace(lines[target-1]), "#") {
			target++
		}
		k, found := ix.keys[target]
		w := byName[k.service]
		if !found || w == nil || !strings.Contains(k.node.HeadComment, text) {
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

// parseIgnore reads the text of a comment (after "#"). It reports false
// when the comment is not a suppression. Rules are comma-separated, the
// reason is the rest of the line; both may be empty, which the evaluator
// reports. (The Dockerfile loader reads the same syntax; the two are kept
// apart because they find comments differently.)
func parseIgnore(comment string) (rules []string, reason string, ok bool) {
	text := strings.TrimSpace(comment)
	rest, found := strings.CutPrefix(text, ignoreMarker)
	if !found || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return nil, "", false
	}
	list, reason := nextWord(strings.TrimSpace(rest))
	// "a, b reason": a list may have spaces after its commas.
	for strings.HasSuffix(list, ",") && reason != "" {
		var w string
		w, reason = nextWord(reason)
		list += w
	}
	for _, r := range strings.Split(list, ",") {
		if r = strings.TrimSpace(r); r != "" {
			rules = append(rules, r)
		}
	}
	return rules, strings.TrimSpace(reason), true
}

// nextWord splits s at its first space or tab.
func nextWord(s string) (word, rest string) {
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i], strings.TrimLeft(s[i+1:], " \t")
	}
	return s, ""
}
