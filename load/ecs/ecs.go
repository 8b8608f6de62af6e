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
	// line, when set, is the line of every location: the JSON is embedded
	// as a string in another format, where its own lines mean nothing.
	line int
}

// loc returns the location of n, or the file when n is absent.
func (d *decoder) loc(n *jsontree.Node) model.Location {
	switch {
	case d.line > 0:
		return model.Location{File: d.path, Line: d.line}
	case n == nil:
		return model.Location{File: d.path}
	}
	return model.Location{File: d.path, Line: n.Line}
}

// problem records a problem at n about object.
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

// rejected returns a Rejected problem at line of path.
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

// DecodeContainerDefinitions decodes a JSON array of container definitions
// embedded in another format, such as the container_definitions string of
// a Terraform aws_ecs_task_definition (the same field names as the ECS
// API), and appends them to w's containers. Every location is line of path,
// where the embedding attribute is written. It returns what could not be
// read.
func DecodeContainerDefinitions(w *model.Workload, path string, line int, data []byte) []model.Problem {
	f := &model.File{Path: path}
	d := &decoder{f: f, path: path, line: max(line, 1)}
	root, err := jsontree.Parse(data, 0)
	switch {
	case err != nil:
		d.problem(model.Rejected, nil, w.Subject(), fmt.Errorf("parse container definitions: %w", err))
	case !root.Is(jsontree.Array):
		d.problem(model.Rejected, nil, w.Subject(), fmt.Errorf("container definitions must be a JSON array"))
	default:
		for _, cd := range root.Items() {
			if !cd.Is(jsontree.Object) {
				d.problem(model.Rejected, cd, w.Subject(), fmt.Errorf("container definition must be an object"))
				continue
			}
			w.Containers = append(w.Containers, d.container(w, cd))
		}
	}
	return f.Problems
}
