package tfres

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// Obj is one object of an attribute tree: a resource or a nested block.
//
// Attribute values are string, bool, json.Number, []any, *Obj, Ref or nil.
// Nested blocks are []any of *Obj under the block type name.
type Obj struct {
	Attrs map[string]any
	// Locs holds where each attribute is written, when known.
	Locs map[string]model.Location
	// Labels are the block labels (a provisioner's type).
	Labels []string
	Loc    model.Location
}

// Ref is an expression that is not a constant, as written
// ("aws_launch_template.app.latest_version", "all", "var.ami").
type Ref string

// LocOf returns where attribute name is written, or where o starts.
func (o *Obj) LocOf(name string) model.Location {
	if l, ok := o.Locs[name]; ok {
		return l.Or(o.Loc)
	}
	return o.Loc
}

// Has reports whether the attribute or block is set and not null.
func (o *Obj) Has(name string) bool {
	v, ok := o.Attrs[name]
	return ok && v != nil
}

// Str returns a string attribute, or a Ref as written; ok is false when
// the attribute is absent, null or not a string.
func (o *Obj) Str(name string) (string, bool) {
	return text(o.Attrs[name])
}

// Setting returns a string attribute as a model.Setting, or nil.
func (o *Obj) Setting(name string) *model.Setting {
	s, ok := o.Str(name)
	if !ok {
		return nil
	}
	return &model.Setting{Value: s, Location: o.LocOf(name)}
}

// Bool returns a boolean attribute; ok is false when it is not a constant
// boolean (a string "true" counts, as Terraform converts it).
func (o *Obj) Bool(name string) (bool, bool) {
	switch v := o.Attrs[name].(type) {
	case bool:
		return v, true
	case string:
		b, err := strconv.ParseBool(v)
		return b, err == nil
	}
	return false, false
}

// Int returns an integer attribute given as a number or a numeric string.
func (o *Obj) Int(name string) (int, bool) {
	s, ok := text(o.Attrs[name])
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}

// Strings returns the strings of a list attribute, or a single string as
// a list of one; non-constant elements are kept as written.
func (o *Obj) Strings(name string) []string {
	switch v := o.Attrs[name].(type) {
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := text(e); ok {
				out = append(out, s)
			}
		}
		return out
	default:
		if s, ok := text(v); ok {
			return []string{s}
		}
	}
	return nil
}

// Blocks returns the nested blocks (or objects) of type name.
func (o *Obj) Blocks(name string) []*Obj {
	switch v := o.Attrs[name].(type) {
	case []any:
		var out []*Obj
		for _, e := range v {
			if b, ok := e.(*Obj); ok {
				out = append(out, b)
			}
		}
		return out
	case *Obj:
		return []*Obj{v}
	}
	return nil
}

// Block returns the first nested block of type name, or nil.
func (o *Obj) Block(name string) *Obj {
	if bs := o.Blocks(name); len(bs) > 0 {
		return bs[0]
	}
	return nil
}

// text returns a scalar as text: strings and references as written,
// numbers as their literal digits, booleans as "true"/"false".
func text(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case Ref:
		return string(v), true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// FromJSON converts a decoded JSON value (decoded with UseNumber) into the
// tree form: objects become *Obj located at loc. Parts marked sensitive in
// sens (Terraform's after_sensitive shape) are left out, so that no
// sensitive value is ever kept.
func FromJSON(v, sens any, loc model.Location) any {
	if isTrue(sens) {
		return nil
	}
	switch v := v.(type) {
	case map[string]any:
		sm, _ := sens.(map[string]any)
		o := &Obj{Attrs: make(map[string]any, len(v)), Loc: loc}
		for k, e := range v {
			o.Attrs[k] = FromJSON(e, sm[k], loc)
		}
		return o
	case []any:
		sl, _ := sens.([]any)
		out := make([]any, len(v))
		for i, e := range v {
			var s any
			if i < len(sl) {
				s = sl[i]
			}
			out[i] = FromJSON(e, s, loc)
		}
		return out
	}
	return v
}

func isTrue(v any) bool {
	b, ok := v.(bool)
	return ok && b
}
