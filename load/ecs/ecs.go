package ecs

import (
	"fmt"

	"github.com/immutcheck/immutcheck/load/internal/jsontree"
	"github.com/immutcheck/immutcheck/model"
)

// Format is the model.File format name of ECS inputs.
const Format = "ecs"

// Load decodes an ECS task definition or service definition document read
// from path.
func Load(path string, data []byte) *model.File {
	f := &model.File{Path: path, Format: Format}
	root, err := jsontree.Parse(data, 0)
	if err != nil {
		f.Problems = append(f.Problems, rejected(path, jsontree.LineOf(err), "", fmt.Errorf("parse ecs json: %w", err)))
		return f
	}
	if !root.Is(jsontree.Object) {
		f.Problems = append(f.Problems, rejected(path, root.Line, "", fmt.Errorf("ecs definition must be a JSON object")))
		return f
	}
	d := &decoder{f: f, path: path}
	switch {
	case root.Get("taskDefinition").Is(jsontree.Object) && root.Get("containerDefinitions") == nil:
		d.taskDefinition(root.Get("taskDefinition"))
	case root.Get("containerDefinitions") != nil:
		d.taskDefinition(root)
	case root.Get("services") != nil:
		for _, s := range root.Get("services").Items() {
			d.service(s)
		}
	case root.Get("serviceName") != nil:
		d.service(root)
	default:
		f.Problems = append(f.Problems, rejected(path, root.Line, "", fmt.Errorf("not an ecs task definition or service: no containerDefinitions, taskDefinition, serviceName or services")))
	}
	return f
}

// decoder turns JSON nodes into model values for one file.
type decoder struct {
	f    *model.File
	path string
}

func (d *decoder) loc(n *jsontree.Node) model.Location {
	if n == nil {
		return model.Location{File: d.path}
	}
	return model.Location{File: d.path, Line: n.Line}
}

func (d *decoder) problem(kind model.ProblemKind, n *jsontree.Node, object string, err error) {
	d.f.Problems = append(d.f.Problems, model.Problem{Kind: kind, Location: d.loc(n), Object: object, Err: err})
}

// unknown reports members of obj that are not in known.
func (d *decoder) unknown(obj *jsontree.Node, known map[string]bool, what, object string) {
	for i, k := range obj.Keys {
		if !known[k] {
			d.problem(model.UnknownField, obj.Values[i], object, fmt.Errorf("unknown field %q in %s", k, what))
		}
	}
}

func rejected(path string, line int, object string, err error) model.Problem {
	return model.Problem{Kind: model.Rejected, Location: model.Location{File: path, Line: line}, Object: object, Err: err}
}

// boolSetting returns the setting of a boolean member, nil when absent.
func (d *decoder) boolSetting(n *jsontree.Node, object, field string) *model.BoolSetting {
	if n == nil || n.Kind == jsontree.Null {
		return nil
	}
	b, ok := n.Bool()
	if !ok {
		d.problem(model.Rejected, n, object, fmt.Errorf("%s must be a boolean", field))
		return nil
	}
	return &model.BoolSetting{Value: b, Location: d.loc(n)}
}
