package hclread

import (
	"fmt"
	"strconv"

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
	if len(data) > MaxBytes {
		return nil, &ParseError{Location: model.Location{File: path}, Summary: "file is larger than " + strconv.Itoa(MaxBytes) + " bytes, the limit for HCL files"}
	}
	if err := CheckNesting(path, data); err != nil {
		return nil, err
	}
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

// MaxBytes bounds an HCL file. The HCL lexer and parser run at well under
// a megabyte per second on hostile input (deeply nested brackets), so the
// general file limit would let one file stall a scan for minutes; real job
// specs and Packer templates are a few kilobytes.
const MaxBytes = 1 << 20

// MaxNesting bounds how deeply blocks, brackets, parentheses and template
// interpolations may nest. The HCL parser is recursive: without a bound a
// file of a few hundred kilobytes of "[" overflows the goroutine stack,
// which is fatal and cannot be recovered. Real job specs and templates nest
// a few levels.
const MaxNesting = 500

// checkNesting lexes data (the lexer is not recursive) and rejects it when
// the nesting exceeds MaxNesting.
func CheckNesting(path string, data []byte) error {
	opens := 0
	for _, b := range data {
		if b == '{' || b == '[' || b == '(' || b == '"' || b == '<' {
			opens++
		}
	}
	if opens <= MaxNesting {
		return nil // nothing can nest deeper than the number of openers
	}
	tokens, _ := hclsyntax.LexConfig(data, path, hcl.InitialPos)
	depth := 0
	for _, t := range tokens {
		switch t.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl, hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
			depth++
			if depth > MaxNesting {
				loc := model.Location{File: path, Line: t.Range.Start.Line, Column: t.Range.Start.Column}
				return &ParseError{Location: loc, Summary: "nesting deeper than " + strconv.Itoa(MaxNesting) + " levels"}
			}
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen,
			hclsyntax.TokenTemplateSeqEnd, hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			if depth > 0 {
				depth--
			}
		}
	}
	return nil
}
