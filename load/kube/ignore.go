package kube

import (
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// ParseIgnore parses the value of the immutcheck.dev/ignore annotation:
// entries separated by ";", each "rule[,rule...]: reason". Rules and
// reason are trimmed; an entry without ":" has no reason, and an entry with
// nothing before ":" names no rule: both are returned as they are so that
// the evaluator reports them. Empty entries are skipped. The returned
// values carry no location; the caller adds where the annotation is.
func ParseIgnore(value string) []model.Ignore {
	var out []model.Ignore
	for _, entry := range strings.Split(value, ";") {
		if strings.TrimSpace(entry) == "" {
			continue
		}
		list, reason, _ := strings.Cut(entry, ":")
		var ig model.Ignore
		for _, r := range strings.Split(list, ",") {
			if r = strings.TrimSpace(r); r != "" {
				ig.Rules = append(ig.Rules, r)
			}
		}
		ig.Reason = strings.TrimSpace(reason)
		out = append(out, ig)
	}
	return out
}
