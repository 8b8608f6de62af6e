package tfconfig

import (
	"errors"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/immutcheck/immutcheck/load/internal/tfres"
	"github.com/immutcheck/immutcheck/model"
)

// Format is the model.File format of Terraform configuration.
const Format = "terraform"

// MaxDepth bounds the nesting of brackets, braces and parentheses, so that
// the recursive parser cannot exhaust the stack.
const MaxDepth = 10000

// maxDiagnostics caps the parse errors reported for one file.
const maxDiagnostics = 10

// Load parses a *.tf file read from path.
func Load(path string, data []byte) *model.File {
	f := &model.File{Path: path, Format: Format}
	if line, deep := tooDeep(data, MaxDepth); deep {
		f.Problems = append(f.Problems, rejected(path, line, 0, fmt.Errorf("parse terraform: nesting deeper than %d levels", MaxDepth)))
		return f
	}
	file, diags := hclsyntax.ParseConfig(data, path, hcl.InitialPos)
	if diags.HasErrors() {
		for _, d := range diags.Errs() {
			if len(f.Problems) == maxDiagnostics {
				break
			}
			var de *hcl.Diagnostic
			line, col := 0, 0
			if errors.As(d, &de) && de.Subject != nil {
				line, col = de.Subject.Start.Line, de.Subject.Start.Column
			}
			msg := d.Error()
			if de != nil {
				msg = de.Summary
				if de.Detail != "" {
					msg += ": " + de.Detail
				}
			}
			f.Problems = append(f.Problems, rejected(path, line, col, fmt.Errorf("parse terraform: %s", msg)))
		}
		return f
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return f
	}
	src := &source{path: path, data: data}
	for _, b := range body.Blocks {
		if b.Type != "resource" || len(b.Labels) != 2 {
			continue
		}
		o := src.block(b, 0)
		r := tfres.Resource(Format, b.Labels[0], b.Labels[0]+"."+b.Labels[1], o)
		f.Resources = append(f.Resources, r)
	}
	attachIgnores(f, path, data, body)
	return f
}

func rejected(path string, line, col int, err error) model.Problem {
	return model.Problem{Kind: model.Rejected, Location: model.Location{File: path, Line: line, Column: col}, Err: err}
}

// tooDeep reports whether brackets nest more than max levels, and the line
// where they do. Brackets inside strings are counted too, which can only
// make the check stricter for pathological input.
func tooDeep(data []byte, max int) (int, bool) {
	depth, line := 0, 1
	for _, c := range data {
		switch c {
		case '\n':
			line++
		case '{', '[', '(':
			depth++
			if depth > max {
				return line, true
			}
		case '}', ']', ')':
			depth--
		}
	}
	return 0, false
}
