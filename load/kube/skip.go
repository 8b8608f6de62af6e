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
// else: a workload kind or a List, a missing or non-string apiVersion or
// kind, metadata or its name of the wrong type, or a document outside the
// fast conversion's subset (whose validity only the reference can tell).
// TestSkipMatchesFullPath holds the two paths equal on every fixture and
// corpus file.
func declaresNoWorkload(raw []byte, doc *yaml.Node) bool {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return false
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode || root.Anchor != "" || root.Style&yaml.TaggedStyle != 0 {
		return false
	}
	var apiVersion, kind string
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, ok := fastKey(root.Content[i])
		if !ok {
			return false
		}
		v := root.Content[i+1]
		switch key {
		case "apiVersion":
			apiVersion = stringValue(v)
		case "kind":
			kind = stringValue(v)
		case "metadata":
			if !headMetadata(v) {
				return false
			}
		}
	}
	if apiVersion == "" || kind == "" || strings.HasSuffix(kind, "List") {
		return false
	}
	if group, _ := splitAPIVersion(apiVersion); lookupKind(group, kind) != nil {
		return false
	}
	return fastValid(raw, doc)
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

// headMetadata reports whether metadata decodes into the head's fields
// (head.Metadata): null, or a mapping whose name and generateName are
// strings or null.
func headMetadata(n *yaml.Node) bool {
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
		if key == "name" || key == "generateName" {
			v := n.Content[i+1]
			if stringValue(v) == "" && !(v.Kind == yaml.ScalarNode && v.Style == 0 && isNullScalar(v.Value)) {
				return false
			}
		}
	}
	return true
}

// isNullScalar reports whether a plain scalar is null in YAML 1.1.
func isNullScalar(s string) bool {
	v, ok := resolve11(s)
	return ok && v == nil
}
