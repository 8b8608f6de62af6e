package dupkeys

import (
	yaml "go.yaml.in/yaml/v3"
)

// CheckYAML walks the node tree from root, at most maxNodes nodes and
// never through aliases, and returns a *DuplicateError for the first
// mapping that names a scalar key twice.
func CheckYAML(root *yaml.Node, maxNodes int) error {
	stack := []*yaml.Node{root}
	for visited := 0; len(stack) > 0 && visited < maxNodes; visited++ {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			stack = append(stack, n.Content...)
		case yaml.MappingNode:
			seen := make(map[string]*yaml.Node, len(n.Content)/2)
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.Kind == yaml.ScalarNode {
					if prev, dup := seen[k.Value]; dup {
						return &DuplicateError{Key: k.Value, First: prev.Value, Line: k.Line, FirstLine: prev.Line}
					}
					seen[k.Value] = k
				}
				stack = append(stack, n.Content[i+1])
			}
		}
	}
	return nil
}
