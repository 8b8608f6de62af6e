package kube

import (
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// declaresNoWorkload reports, from the parsed tree alone, that a document
// is a valid object of a kind that holds no workload (a Service, a
// ConfigMap, a CRD object): such a document needs no JSON and no typed
// decode, since the full path would load nothing from it and report
// nothing. It answers false whenever the full path might do anything
// else: a workload kind or a List, a head that treeHead cannot read, or a
// document outside the fast conversion's subset (whose validity only the
// reference can tell). TestSkipMatchesFullPath and FuzzDecode hold the two
// paths equal.
func declaresNoWorkload(raw []byte, doc *yaml.Node) bool {
	h, ok := treeHead(doc)
	if !ok || strings.HasSuffix(h.Kind, "List") {
		return false
	}
	if group, _ := splitAPIVersion(h.APIVersion); lookupKind(group, h.Kind) != nil {
		return false
	}
	return fastValid(raw, doc)
}

// treeHead reads the head of an object from the parsed tree. ok is false
// unless the JSON decode of the head would give the same: apiVersion and
// kind non-empty strings, metadata null or a mapping, its name and
// generateName strings or null. The caller must also know that the tree
// converts to the document's JSON (fastJSON or fastValid succeeded).
func treeHead(doc *yaml.Node) (h head, ok bool) {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return h, false
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode || root.Anchor != "" || root.Style&yaml.TaggedStyle != 0 {
		return h, false
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, ok := fastKey(root.Content[i])
		if !ok {
			return h, false
		}
		v := root.Content[i+1]
		switch key {
		case "apiVersion":
			h.APIVersion = stringValue(v)
		case "kind":
			h.Kind = stringValue(v)
		case "metadata":
			if !headMetadata(v, &h) {
				return h, false
			}
		}
	}
	return h, h.APIVersion != "" && h.Kind != ""
}

// stringValue is the value of a scalar that converts to a JSON string, or
// "" for anything else.
func stringValue(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode || n.Anchor != "" || n.Style&yaml.TaggedStyle != 0 {
		return ""
	}
	if n.Style != 0 { // quoted, literal or folded
		return n.Value
	}
	v, _ := resolve11(n.Value)
	s, _ := v.(string)
	return s
}

// headMetadata reads metadata into h, reporting whether it decodes into
// the head's fields: null, or a mapping whose name and generateName are
// strings or null.
func headMetadata(n *yaml.Node, h *head) bool {
	if n.Kind == yaml.ScalarNode && n.Style == 0 {
		return isNullScalar(n.Value)
	}
	if n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, ok := fastKey(n.Content[i])
		if !ok {
			return false
		}
		if key != "name" && key != "generateName" {
			continue
		}
		v := n.Content[i+1]
		s := stringValue(v)
		if s == "" && !(v.Kind == yaml.ScalarNode && v.Style == 0 && isNullScalar(v.Value)) {
			return false
		}
		if key == "name" {
			h.Metadata.Name = s
		} else {
			h.Metadata.GenerateName = s
		}
	}
	return true
}

// isNullScalar reports whether a plain scalar is null in YAML 1.1.
func isNullScalar(s string) bool {
	v, ok := resolve11(s)
	return ok && v == nil
}
