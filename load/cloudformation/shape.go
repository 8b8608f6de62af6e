package cloudformation

import (
	"errors"
	"fmt"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/immutcheck/immutcheck/load/internal/dupkeys"
)

// nodeError is a template that CloudFormation would refuse, at the line
// of the node at fault.
type nodeError struct {
	line int
	err  error
}

// Error is the cause alone: the problem's location gives the line.
func (e *nodeError) Error() string { return e.err.Error() }
func (e *nodeError) Unwrap() error { return e.err }

func atNode(n *yaml.Node, format string, args ...any) error {
	return &nodeError{line: n.Line, err: fmt.Errorf("read cloudformation: "+format, args...)}
}

// deref follows an alias to what it names.
func deref(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// checkResource refuses a resource CloudFormation would not accept: not
// a mapping, a Type that is not a string naming a type (Service::Kind
// form), or Properties that are not a mapping. Each would otherwise be
// read as a resource with nothing to report.
func checkResource(key, node *yaml.Node) error {
	node = deref(node)
	if node.Kind != yaml.MappingNode {
		return atNode(key, "resource %s is not a mapping", key.Value)
	}
	typ := deref(get(node, "Type"))
	switch {
	case typ == nil:
		return atNode(key, "resource %s has no Type", key.Value)
	case typ.Kind != yaml.ScalarNode || typ.ShortTag() != "!!str" || !strings.Contains(typ.Value, "::"):
		return atNode(typ, "resource %s: Type is not a resource type name", key.Value)
	}
	if props := deref(get(node, "Properties")); props != nil && props.Kind != yaml.MappingNode && props.ShortTag() != "!!null" {
		return atNode(props, "resource %s: Properties is not a mapping", key.Value)
	}
	return nil
}

// checkKeys refuses a mapping that names a key twice, anywhere in the
// document; the YAML decoder keeps both in the node tree, and the first
// would be read while other tools read the last.
func checkKeys(root *yaml.Node) error {
	if err := dupkeys.CheckYAML(root, MaxNodes); err != nil {
		var de *dupkeys.DuplicateError
		errors.As(err, &de)
		return &nodeError{line: de.Line, err: fmt.Errorf("read cloudformation: %w", err)}
	}
	return nil
}
