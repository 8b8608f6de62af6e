package cloudformation

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/immutcheck/immutcheck/load/internal/tfres"
	"github.com/immutcheck/immutcheck/model"
	yaml "go.yaml.in/yaml/v3"
)

// errTooManyNodes is returned when a document expands (through aliases)
// beyond MaxNodes.
var errTooManyNodes = errors.New("read cloudformation: document too large after alias expansion")

// maxDepth bounds the nesting of values below a resource; the YAML parser
// itself stops at 10,000 levels.
const maxDepth = 1000

var errTooDeep = errors.New("read cloudformation: resource nested deeper than 1000 levels")

// tree converts YAML nodes into tfres values, counting visited nodes.
type tree struct {
	path    string
	visited int
}

func (t *tree) loc(n *yaml.Node) model.Location {
	return model.Location{File: t.path, Line: n.Line, Column: n.Column}
}

// value converts a node: mappings to *tfres.Obj, sequences to []any,
// scalars to string, bool or json.Number, intrinsic functions to their
// readable value or a tfres.Ref.
func (t *tree) value(n *yaml.Node, depth int) (any, error) {
	t.visited++
	switch {
	case t.visited > MaxNodes:
		return nil, errTooManyNodes
	case depth > maxDepth:
		return nil, errTooDeep
	}
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if fn := shortTag(n.Tag); fn != "" {
		return t.intrinsic(fn, n, depth)
	}
	switch n.Kind {
	case yaml.MappingNode:
		if len(n.Content) == 2 {
			k := n.Content[0].Value
			if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
				return t.intrinsic(k, n.Content[1], depth)
			}
		}
		o := &tfres.Obj{Attrs: map[string]any{}, Locs: map[string]model.Location{}, Loc: t.loc(n)}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := t.value(n.Content[i+1], depth+1)
			if err != nil {
				return nil, err
			}
			o.Attrs[n.Content[i].Value] = v
			o.Locs[n.Content[i].Value] = t.loc(n.Content[i])
		}
		return o, nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := t.value(c, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!bool":
			return strings.EqualFold(n.Value, "true"), nil
		case "!!int", "!!float":
			return json.Number(n.Value), nil
		case "!!null":
			return nil, nil
		}
		return n.Value, nil
	}
	return nil, nil
}

// shortTag maps a YAML short intrinsic tag to its function name.
func shortTag(tag string) string {
	switch tag {
	case "!Ref", "!Condition":
		return tag[1:]
	case "":
		return ""
	}
	if strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!") {
		return "Fn::" + tag[1:]
	}
	return ""
}

// intrinsic reads an intrinsic function call. Fn::Base64 is transparent,
// Fn::Sub gives its template string and Fn::Join joins its parts, so that
// boot scripts can be read; every other call is kept as written.
func (t *tree) intrinsic(fn string, arg *yaml.Node, depth int) (any, error) {
	v, err := t.value(withoutTag(arg), depth+1)
	if err != nil {
		return nil, err
	}
	switch fn {
	case "Fn::Base64":
		return v, nil
	case "Fn::Sub":
		if l, ok := v.([]any); ok && len(l) > 0 {
			v = l[0]
		}
		if s, ok := v.(string); ok {
			return s, nil
		}
	case "Fn::Join":
		if l, ok := v.([]any); ok && len(l) == 2 {
			sep, _ := l[0].(string)
			parts, _ := l[1].([]any)
			var b strings.Builder
			for i, p := range parts {
				if i > 0 {
					b.WriteString(sep)
				}
				b.WriteString(refText(p))
			}
			return b.String(), nil
		}
	}
	return tfres.Ref(strings.TrimPrefix(fn, "Fn::") + " " + refText(v)), nil
}

// withoutTag returns n without its short tag, so that "!Ref X" is read as
// the scalar X. Nodes are not modified.
func withoutTag(n *yaml.Node) *yaml.Node {
	if shortTag(n.Tag) == "" {
		return n
	}
	c := *n
	c.Tag = ""
	if c.Kind == yaml.ScalarNode {
		c.Tag = "!!str"
	}
	return &c
}

// refText renders a value for a Ref or a joined string.
func refText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case tfres.Ref:
		return "${" + string(v) + "}"
	case json.Number:
		return v.String()
	case []any:
		var parts []string
		for _, e := range v {
			parts = append(parts, refText(e))
		}
		return strings.Join(parts, ".")
	}
	return "${...}"
}
