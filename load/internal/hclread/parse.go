package hclread

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/immutcheck/immutcheck/model"
)

// ParseError is an HCL syntax error at a location.
type ParseError struct {
	Location model.Location
	Summary  string
}

func (e *ParseError) Error() string { return "parse hcl: " + e.Summary }

// Parse parses data as HCL2 native syntax. The first error diagnostic
// becomes a *ParseError with its location; the diagnostic's detail, which
// may quote the input, is left out.
func Parse(path string, data []byte) (*hclsyntax.Body, error) {
	f, diags := hclsyntax.ParseConfig(data, path, hcl.InitialPos)
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		loc := model.Location{File: path}
		if d.Subject != nil {
			loc.Line, loc.Column = d.Subject.Start.Line, d.Subject.Start.Column
		}
		return nil, &ParseError{Location: loc, Summary: d.Summary}
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil, fmt.Errorf("parse hcl: unexpected body type")
	}
	return body, nil
}

// Blocks returns the blocks of body with the given type, in order.
func Blocks(body *hclsyntax.Body, typ string) []*hclsyntax.Block {
	if body == nil {
		return nil
	}
	var out []*hclsyntax.Block
	for _, b := range body.Blocks {
		if b.Type == typ {
			out = append(out, b)
		}
	}
	return out
}

// Block returns the first block of body with the given type, or nil.
func Block(body *hclsyntax.Body, typ string) *hclsyntax.Block {
	if bs := Blocks(body, typ); len(bs) > 0 {
		return bs[0]
	}
	return nil
}

// Attr returns the attribute name of body, or nil.
func Attr(body *hclsyntax.Body, name string) *hclsyntax.Attribute {
	if body == nil {
		return nil
	}
	return body.Attributes[name]
}

// Label returns the i-th label of b, or "".
func Label(b *hclsyntax.Block, i int) string {
	if b == nil || i >= len(b.Labels) {
		return ""
	}
	return b.Labels[i]
}
