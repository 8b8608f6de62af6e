package tfconfig

import (
	"errors"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/immutcheck/immutcheck/load/internal/hclread"
	"github.com/immutcheck/immutcheck/load/internal/tfres"
	"github.com/immutcheck/immutcheck/model"
)

// Format is the model.File format of Terraform configuration.
const Format = "terraform"

// maxDiagnostics caps the parse errors reported for one file.
const maxDiagnostics = 10

// Load parses a *.tf file read from path.
func Load(path string, data []byte) *model.File {
	f := &model.File{Path: path, Format: Format}
	// The HCL parser is recursive: a stack overflow is fatal and cannot be
	// recovered, so nesting is bounded on the tokens before parsing (a
	// bracket count on raw bytes is fooled by brackets inside strings).
	if err := hclread.CheckNesting(path, data); err != nil {
		var pe *hclread.ParseError
		loc := model.Location{File: path}
		if errors.As(err, &pe) {
			loc = pe.Location
		}
		f.Problems = append(f.Problems, rejected(path, loc.Line, loc.Column, fmt.Errorf("parse terraform: %w", err)))
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
		if w := tfres.ECSService(Format, b.Labels[0], r.Name, o); w != nil {
			f.Workloads = append(f.Workloads, w)
		}
	}
	attachIgnores(f, path, data, body)
	return f
}

func rejected(path string, line, col int, err error) model.Problem {
	return model.Problem{Kind: model.Rejected, Location: model.Location{File: path, Line: line, Column: col}, Err: err}
}
