package tfconfig

import (
	"encoding/json"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/immutcheck/immutcheck/load/internal/tfres"
	"github.com/immutcheck/immutcheck/model"
	"github.com/zclconf/go-cty/cty"
)

// maxBlockDepth bounds how deep nested blocks are read.
const maxBlockDepth = 64

// source is the file being read.
type source struct {
	path string
	data []byte
}

func (s *source) loc(r hcl.Range) model.Location {
	return model.Location{File: s.path, Line: r.Start.Line, Column: r.Start.Column}
}

// text returns the source text of a range.
func (s *source) text(r hcl.Range) string {
	if r.Start.Byte < 0 || r.End.Byte > len(s.data) || r.Start.Byte > r.End.Byte {
		return ""
	}
	return string(s.data[r.Start.Byte:r.End.Byte])
}

// block turns a block into a tree: attributes as values, nested blocks as
// lists of objects under their type. A dynamic "x" block is read as blocks
// of type x from its content.
func (s *source) block(b *hclsyntax.Block, depth int) *tfres.Obj {
	o := &tfres.Obj{Attrs: map[string]any{}, Locs: map[string]model.Location{}, Labels: b.Labels, Loc: s.loc(b.DefRange())}
	if depth > maxBlockDepth {
		return o
	}
	for name, a := range b.Body.Attributes {
		o.Attrs[name] = s.value(a.Expr, s.loc(a.SrcRange), 0)
		o.Locs[name] = s.loc(a.SrcRange)
	}
	for _, nb := range b.Body.Blocks {
		typ, child := nb.Type, nb
		if nb.Type == "dynamic" && len(nb.Labels) == 1 {
			typ = nb.Labels[0]
			for _, cb := range nb.Body.Blocks {
				if cb.Type == "content" {
					child = cb
				}
			}
		}
		list, _ := o.Attrs[typ].([]any)
		c := s.block(child, depth+1)
		c.Loc = s.loc(nb.DefRange())
		if child != nb {
			c.Labels = nil
		}
		o.Attrs[typ] = append(list, c)
		if _, ok := o.Locs[typ]; !ok {
			o.Locs[typ] = c.Loc
		}
	}
	return o
}

// value reads an expression: its constant value when it has one, else its
// parts (lists, objects, template text with "${...}" kept), else the
// expression as written.
func (s *source) value(e hclsyntax.Expression, loc model.Location, depth int) any {
	if depth > maxBlockDepth {
		return tfres.Ref(s.text(e.Range()))
	}
	if v, diags := e.Value(nil); !diags.HasErrors() && v.IsWhollyKnown() {
		return ctyValue(v, loc, 0)
	}
	switch e := e.(type) {
	case *hclsyntax.TupleConsExpr:
		out := make([]any, 0, len(e.Exprs))
		for _, x := range e.Exprs {
			out = append(out, s.value(x, loc, depth+1))
		}
		return out
	case *hclsyntax.ObjectConsExpr:
		o := &tfres.Obj{Attrs: map[string]any{}, Locs: map[string]model.Location{}, Loc: loc}
		for _, it := range e.Items {
			k, diags := it.KeyExpr.Value(nil)
			if diags.HasErrors() || !k.IsKnown() || k.IsNull() || k.Type() != cty.String {
				continue
			}
			o.Attrs[k.AsString()] = s.value(it.ValueExpr, s.loc(it.ValueExpr.Range()), depth+1)
			o.Locs[k.AsString()] = s.loc(it.KeyExpr.Range())
		}
		return o
	case *hclsyntax.TemplateExpr:
		var b strings.Builder
		for _, p := range e.Parts {
			if lit, ok := p.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() {
				b.WriteString(lit.Val.AsString())
			} else {
				b.WriteString("${" + s.text(p.Range()) + "}")
			}
		}
		return b.String()
	case *hclsyntax.FunctionCallExpr:
		// The boot script inside base64encode(...) is what matters.
		if (e.Name == "base64encode" || e.Name == "base64gzip") && len(e.Args) == 1 {
			return s.value(e.Args[0], loc, depth+1)
		}
	}
	return tfres.Ref(strings.TrimSpace(s.text(e.Range())))
}

// ctyValue converts a known constant into the tree's value types.
func ctyValue(v cty.Value, loc model.Location, depth int) any {
	if v.IsNull() || !v.IsKnown() || depth > maxBlockDepth {
		return nil
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString()
	case t == cty.Bool:
		return v.True()
	case t == cty.Number:
		return json.Number(v.AsBigFloat().Text('g', -1))
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		var out []any
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, ctyValue(e, loc, depth+1))
		}
		return out
	case t.IsMapType() || t.IsObjectType():
		o := &tfres.Obj{Attrs: map[string]any{}, Loc: loc}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			o.Attrs[k.AsString()] = ctyValue(e, loc, depth+1)
		}
		return o
	}
	return nil
}
