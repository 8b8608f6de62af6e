package hclread

import (
	"math/big"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/immutcheck/immutcheck/model"
	"github.com/zclconf/go-cty/cty"
)

// Evaluator evaluates attributes of one file.
type Evaluator struct {
	path string
	data []byte
	ctx  *hcl.EvalContext
}

// maxPasses bounds how many rounds of locals referring to locals are
// resolved.
const maxPasses = 4

// NewEvaluator prepares evaluation for the file: the defaults of its
// top-level variable blocks become var.*, its locals blocks local.*.
func NewEvaluator(path string, data []byte, body *hclsyntax.Body) *Evaluator {
	e := &Evaluator{path: path, data: data, ctx: &hcl.EvalContext{Variables: map[string]cty.Value{}}}
	vars := map[string]cty.Value{}
	for _, b := range Blocks(body, "variable") {
		if a := Attr(b.Body, "default"); a != nil && len(b.Labels) == 1 {
			if v, ok := e.Value(a.Expr); ok {
				vars[b.Labels[0]] = v
			}
		}
	}
	e.ctx.Variables["var"] = cty.ObjectVal(vars)
	locals := map[string]cty.Value{}
	for range maxPasses {
		before := len(locals)
		e.ctx.Variables["local"] = cty.ObjectVal(locals)
		for _, b := range Blocks(body, "locals") {
			for name, a := range b.Body.Attributes {
				if _, done := locals[name]; done {
					continue
				}
				if v, ok := e.Value(a.Expr); ok {
					locals[name] = v
				}
			}
		}
		if len(locals) == before {
			break
		}
	}
	e.ctx.Variables["local"] = cty.ObjectVal(locals)
	return e
}

// Loc returns the location of the start of r.
func (e *Evaluator) Loc(r hcl.Range) model.Location {
	return model.Location{File: e.path, Line: r.Start.Line, Column: r.Start.Column}
}

// Source returns the source text of expr, without the quotes of a plain
// string template.
func (e *Evaluator) Source(expr hclsyntax.Expression) string {
	r := expr.Range()
	if r.Start.Byte < 0 || r.End.Byte > len(e.data) || r.Start.Byte > r.End.Byte {
		return ""
	}
	s := string(e.data[r.Start.Byte:r.End.Byte])
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	return s
}

// Value evaluates expr if it is safe to evaluate and its value is known.
func (e *Evaluator) Value(expr hclsyntax.Expression) (cty.Value, bool) {
	if !safe(expr, 0) {
		return cty.NilVal, false
	}
	v, diags := expr.Value(e.ctx)
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() {
		return cty.NilVal, false
	}
	return v, true
}

// String returns the string value of a, or its source text and false when
// it cannot be evaluated to a string.
func (e *Evaluator) String(a *hclsyntax.Attribute) (string, bool) {
	if a == nil {
		return "", false
	}
	v, ok := e.Value(a.Expr)
	if ok && v.Type() == cty.String {
		return v.AsString(), true
	}
	if ok && v.Type() == cty.Number {
		return v.AsBigFloat().Text('f', -1), true
	}
	return e.Source(a.Expr), false
}

// Bool returns the boolean value of a; ok is false when a is absent or not
// a known boolean (the strings "true" and "false" count).
func (e *Evaluator) Bool(a *hclsyntax.Attribute) (val, ok bool) {
	if a == nil {
		return false, false
	}
	v, known := e.Value(a.Expr)
	switch {
	case !known:
		return false, false
	case v.Type() == cty.Bool:
		return v.True(), true
	case v.Type() == cty.String && (v.AsString() == "true" || v.AsString() == "false"):
		return v.AsString() == "true", true
	}
	return false, false
}

// Int returns the integer value of a.
func (e *Evaluator) Int(a *hclsyntax.Attribute) (int64, bool) {
	if a == nil {
		return 0, false
	}
	v, known := e.Value(a.Expr)
	if !known || v.Type() != cty.Number {
		return 0, false
	}
	bf := v.AsBigFloat()
	if !bf.IsInt() {
		return 0, false
	}
	i, acc := bf.Int64()
	return i, acc == big.Exact
}

// Strings returns the elements of a list or tuple of strings; an element
// that is not a known string is returned as its source text, and ok is
// false.
func (e *Evaluator) Strings(a *hclsyntax.Attribute) (out []string, ok bool) {
	if a == nil {
		return nil, false
	}
	if tc, isTuple := a.Expr.(*hclsyntax.TupleConsExpr); isTuple {
		ok = true
		for _, x := range tc.Exprs {
			v, known := e.Value(x)
			if known && v.Type() == cty.String {
				out = append(out, v.AsString())
				continue
			}
			out, ok = append(out, e.Source(x)), false
		}
		return out, ok
	}
	v, known := e.Value(a.Expr)
	if !known || !(v.Type().IsListType() || v.Type().IsTupleType()) {
		return []string{e.Source(a.Expr)}, false
	}
	ok = true
	for it := v.ElementIterator(); it.Next(); {
		_, el := it.Element()
		if el.Type() != cty.String || el.IsNull() {
			ok = false
			continue
		}
		out = append(out, el.AsString())
	}
	return out, ok
}

// maxDepth bounds how deep safe looks into an expression.
const maxDepth = 64

// safe reports whether expr uses only constructs whose evaluation costs at
// most linear time in its size.
func safe(expr hclsyntax.Expression, depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch x := expr.(type) {
	case *hclsyntax.LiteralValueExpr, *hclsyntax.ScopeTraversalExpr:
		return true
	case *hclsyntax.TemplateExpr:
		return all(x.Parts, depth)
	case *hclsyntax.TemplateWrapExpr:
		return safe(x.Wrapped, depth+1)
	case *hclsyntax.TupleConsExpr:
		return all(x.Exprs, depth)
	case *hclsyntax.ObjectConsExpr:
		for _, it := range x.Items {
			if !safe(it.KeyExpr, depth+1) || !safe(it.ValueExpr, depth+1) {
				return false
			}
		}
		return true
	case *hclsyntax.ObjectConsKeyExpr:
		return safe(x.Wrapped, depth+1)
	case *hclsyntax.ParenthesesExpr:
		return safe(x.Expression, depth+1)
	case *hclsyntax.ConditionalExpr:
		return safe(x.Condition, depth+1) && safe(x.TrueResult, depth+1) && safe(x.FalseResult, depth+1)
	}
	return false
}

func all(exprs []hclsyntax.Expression, depth int) bool {
	for _, x := range exprs {
		if !safe(x, depth+1) {
			return false
		}
	}
	return true
}
