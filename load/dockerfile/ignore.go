package dockerfile

import (
	"github.com/immutcheck/immutcheck/load/internal/suppress"
	"strings"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/immutcheck/immutcheck/model"
)

// ignores returns the suppressions written in the comment lines directly
// above each instruction: "# immutcheck:ignore <rule>[,<rule>] <reason>".
// Other comment lines may sit between the suppression and the instruction;
// a blank line or another instruction ends the block. Each suppression is
// limited to the instruction's first line, where its findings are located.
func (s *source) ignores(path string, nodes []*parser.Node) []model.Ignore {
	var out []model.Ignore
	prevEnd := 0
	for _, n := range nodes {
		var block []model.Ignore
		for ln := n.StartLine - 1; ln > prevEnd; ln-- {
			text := strings.TrimLeft(s.line(ln), " \t")
			if !strings.HasPrefix(text, "#") {
				break
			}
			rules, reason, ok := parseIgnore(strings.TrimPrefix(text, "#"))
			if !ok {
				continue
			}
			col := utf8.RuneCountInString(s.line(ln)) - utf8.RuneCountInString(text) + 1
			block = append(block, model.Ignore{
				Rules:    rules,
				Reason:   reason,
				Line:     n.StartLine,
				Location: model.Location{File: path, Line: ln, Column: col},
			})
		}
		// Collected bottom-up; report in file order.
		for i := len(block) - 1; i >= 0; i-- {
			out = append(out, block[i])
		}
		prevEnd = n.EndLine
	}
	return out
}

// parseIgnore reads the text of a comment (after "#"); the syntax is
// suppress.Parse's.
func parseIgnore(comment string) (rules []string, reason string, ok bool) {
	return suppress.Parse(comment)
}
