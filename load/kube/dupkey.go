package kube

import (
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// firstDefinition finds, for a duplicate-key error of the strict YAML
// decoder at file line dupLine, the file lines where the key was first and
// then again defined; 0 when it cannot tell. go-yaml v2 names only the
// second definition, by the line of its value. The search walks the position parse with an explicit stack
// and the lookup budget, and never follows aliases.
func firstDefinition(file string, doc document, dupLine int, err error) (first, again int) {
	if !strings.Contains(err.Error(), "already set in map") {
		return 0, 0
	}
	ix, root := newIndex(file, doc)
	if root.node == nil {
		return 0, 0
	}
	stack := []*yaml.Node{root.node}
	for len(stack) > 0 && ix.spend() {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch n.Kind {
		case yaml.SequenceNode:
			stack = append(stack, n.Content...)
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				v := n.Content[i+1]
				if (k.Line+ix.lineOff == dupLine || v.Line+ix.lineOff == dupLine) && k.Kind == yaml.ScalarNode {
					for j := 0; j < i; j += 2 {
						if prev := n.Content[j]; prev.Kind == yaml.ScalarNode && prev.Value == k.Value {
							return prev.Line + ix.lineOff, k.Line + ix.lineOff
						}
					}
				}
				stack = append(stack, v)
			}
		}
	}
	return 0, 0
}
