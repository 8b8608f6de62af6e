package cloudformation

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/immutcheck/immutcheck/load/internal/badbyte"
	"github.com/immutcheck/immutcheck/model"
	yaml "go.yaml.in/yaml/v3"
)

// Format is the model.File format of templates and change sets.
const Format = "cloudformation"

// MaxNodes bounds the YAML nodes visited in one document, aliases
// included, so that an alias bomb cannot expand without end.
const MaxNodes = 1 << 20

// Load reads a template or change set from path.
func Load(path string, data []byte) *model.File {
	f := &model.File{Path: path, Format: Format}
	root, err := parse(data)
	if err != nil {
		line := errorLine(err)
		if line == 0 && badbyte.IsReaderError(err.Error()) {
			line = badbyte.Line(data)
		}
		f.Problems = append(f.Problems, model.Problem{Kind: model.Rejected, Location: model.Location{File: path, Line: line}, Err: err})
		return f
	}
	t := &tree{path: path}
	switch {
	case root.Kind != yaml.MappingNode:
		err = errors.New("read cloudformation: document is not a mapping")
	case isChangeSet(root):
		if err = checkKeys(root); err == nil {
			err = changeSet(f, t, root)
		}
	default:
		if err = checkKeys(root); err == nil {
			err = template(f, t, root, data)
		}
	}
	if err != nil {
		f.Changes, f.Resources = nil, nil
		line := root.Line
		var ne *nodeError
		if errors.As(err, &ne) {
			line = ne.line
		}
		f.Problems = append(f.Problems, model.Problem{Kind: model.Rejected, Location: model.Location{File: path, Line: line}, Err: err})
	}
	return f
}

// parse decodes exactly one YAML (or JSON) document.
func parse(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, errors.New("read cloudformation: empty document")
		}
		return nil, fmt.Errorf("read cloudformation: %w", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		return nil, errors.New("read cloudformation: more than one document or data after the document")
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, errors.New("read cloudformation: empty document")
	}
	return doc.Content[0], nil
}

// errorLine extracts the line of a YAML syntax error ("yaml: line 3: ...").
func errorLine(err error) int {
	var line int
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return 0
	}
	msg := err.Error()
	if i := bytes.Index([]byte(msg), []byte("line ")); i >= 0 {
		fmt.Sscanf(msg[i:], "line %d", &line)
	}
	return line
}

// isChangeSet reports whether the mapping is describe-change-set output.
func isChangeSet(root *yaml.Node) bool {
	return get(root, "Changes") != nil && (get(root, "ChangeSetId") != nil || get(root, "ChangeSetName") != nil)
}

// get returns the value of key in mapping m, or nil.
func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// scalar returns the value of a scalar node, or "".
func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}
