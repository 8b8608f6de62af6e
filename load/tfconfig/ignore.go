package tfconfig

import (
	"bytes"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/immutcheck/immutcheck/load/internal/suppress"
	"github.com/immutcheck/immutcheck/model"
)

// attachIgnores reads "# immutcheck:ignore <rule>[,<rule>] <reason>"
// comments (also "//") and gives each to the resource it belongs to. A
// comment directly above a resource block covers the whole resource; one
// above a line inside it, or at the end of a line, covers that line.
func attachIgnores(f *model.File, path string, data []byte, body *hclsyntax.Body) {
	if !bytes.Contains(data, []byte(suppress.Marker)) {
		return
	}
	tokens, _ := hclsyntax.LexConfig(data, path, hcl.InitialPos)
	lines := bytes.Split(data, []byte("\n"))
	for _, t := range tokens {
		if t.Type != hclsyntax.TokenComment {
			continue
		}
		text := strings.TrimSpace(string(t.Bytes))
		text = strings.TrimPrefix(strings.TrimPrefix(text, "#"), "//")
		rules, reason, ok := suppress.Parse(text)
		if !ok {
			continue
		}
		cl := t.Range.Start.Line
		ig := model.Ignore{Rules: rules, Reason: reason, Location: model.Location{File: path, Line: cl, Column: t.Range.Start.Column}}
		target := cl
		if before := lineText(lines, cl)[:min(t.Range.Start.Column-1, len(lineText(lines, cl)))]; strings.TrimSpace(before) == "" {
			target = nextCodeLine(lines, cl)
		}
		for _, b := range body.Blocks {
			if b.Type != "resource" || len(b.Labels) != 2 {
				continue
			}
			r := resourceAt(f, b)
			if r == nil {
				continue
			}
			switch rng := b.Range(); {
			case target == b.DefRange().Start.Line:
				ig.Line = 0
				r.Ignores = append(r.Ignores, ig)
			case target > rng.Start.Line && target <= rng.End.Line:
				ig.Line = target
				r.Ignores = append(r.Ignores, ig)
			}
		}
	}
}

// resourceAt returns the resource loaded from block b.
func resourceAt(f *model.File, b *hclsyntax.Block) *model.Resource {
	name := b.Labels[0] + "." + b.Labels[1]
	line := b.DefRange().Start.Line
	for _, r := range f.Resources {
		if r.Name == name && r.Location.Line == line {
			return r
		}
	}
	return nil
}

func lineText(lines [][]byte, n int) string {
	if n < 1 || n > len(lines) {
		return ""
	}
	return string(lines[n-1])
}

// nextCodeLine returns the first line after n that is neither blank nor a
// comment.
func nextCodeLine(lines [][]byte, n int) int {
	for l := n + 1; l <= len(lines); l++ {
		t := strings.TrimSpace(lineText(lines, l))
		if t != "" && !strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "//") {
			return l
		}
	}
	return n
}
