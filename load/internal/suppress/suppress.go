// Package suppress parses "immutcheck:ignore" suppression comments for the
// loaders of comment-carrying formats (HCL, YAML).
package suppress

import "strings"

// Marker starts a suppression comment.
const Marker = "immutcheck:ignore"

// Parse reads the text of a comment without its "#" or "//". It reports
// false when the comment is not a suppression. The syntax is
// "immutcheck:ignore <rule>[,<rule>] <reason>": rules are comma-separated
// (spaces after commas allowed), the reason is the rest of the line. Both
// may be empty, which the evaluator reports.
func Parse(comment string) (rules []string, reason string, ok bool) {
	rest, found := strings.CutPrefix(strings.TrimSpace(comment), Marker)
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

// nextWord splits s at its first space or tab; the rest keeps its inner
// spacing, so a reason is reported as written.
func nextWord(s string) (word, rest string) {
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		return s[:i], strings.TrimLeft(s[i+1:], " \t")
	}
	return s, ""
}
