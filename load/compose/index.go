package compose

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"

	"go.yaml.in/yaml/v4"

	"github.com/immutcheck/immutcheck/model"
)

// index locates what compose-go loaded: compose-go keeps no positions, so
// the file is parsed a second time into YAML nodes. The walk only descends
// services.<name>.<field>[<item>]; it never follows an alias, so its cost is
// bounded by the size of the file (RELIABILITY.md §2).
type index struct {
	path     string
	top      map[string]field // top-level keys
	services map[string]*service
	// keys are the indexed service keys, field keys and items by the line
	// they start on: a suppression comment applies to the next such line.
	keys map[int]key
}

// service is the nodes of one service: its key, and its fields when the
// service is written as a mapping (not an alias).
type service struct {
	name   string
	key    *yaml.Node
	fields map[string]field
}

type field struct {
	key, val *yaml.Node
}

// key is an indexed node and the service it belongs to.
type key struct {
	node    *yaml.Node
	service string
}

// Bounds checked before compose-go sees a file: its merge and
// interpolation passes cost time per document and per level of nesting
// (RELIABILITY.md §5 cases 3 and 9). Real compose files have one document
// and a dozen levels.
const (
	maxDocuments = 100
	maxDepth     = 64
)

// newIndex parses every YAML document of data. Later documents override
// earlier ones, as compose-go merges them.
func newIndex(path string, data []byte) (*index, error) {
	ix := &index{path: path, top: map[string]field{}, services: map[string]*service{}, keys: map[int]key{}}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for n := 0; ; n++ {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return ix, nil
		}
		if err != nil {
			return nil, err
		}
		if n == maxDocuments {
			return nil, fmt.Errorf("line %d: more than %d YAML documents", doc.Line, maxDocuments)
		}
		if deep := tooDeep(&doc); deep != nil {
			return nil, fmt.Errorf("line %d: nesting deeper than %d levels", deep.Line, maxDepth)
		}
		if len(doc.Content) == 1 && doc.Content[0].Kind == yaml.MappingNode {
			ix.document(doc.Content[0])
		}
	}
}

// tooDeep returns the first node nested deeper than maxDepth, or nil. It
// walks iteratively and does not follow aliases.
func tooDeep(root *yaml.Node) *yaml.Node {
	type entry struct {
		n     *yaml.Node
		depth int
	}
	stack := []entry{{root, 0}}
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if e.depth > maxDepth {
			return e.n
		}
		for _, c := range e.n.Content {
			stack = append(stack, entry{c, e.depth + 1})
		}
	}
	return nil
}

func (ix *index) document(root *yaml.Node) {
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		ix.top[k.Value] = field{key: k, val: v}
		if k.Value != "services" || v.Kind != yaml.MappingNode {
			continue
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			sk, sv := v.Content[j], v.Content[j+1]
			s := &service{name: sk.Value, key: sk, fields: map[string]field{}}
			ix.services[sk.Value] = s
			ix.keys[sk.Line] = key{sk, sk.Value}
			if sv.Kind != yaml.MappingNode {
				continue
			}
			for n := 0; n+1 < len(sv.Content); n += 2 {
				fk, fv := sv.Content[n], sv.Content[n+1]
				s.fields[fk.Value] = field{key: fk, val: fv}
				ix.keys[fk.Line] = key{fk, sk.Value}
				if fv.Kind == yaml.SequenceNode {
					for _, item := range fv.Content {
						ix.keys[item.Line] = key{item, sk.Value}
					}
				}
			}
		}
	}
}

func (ix *index) loc(n *yaml.Node) model.Location {
	if n == nil {
		return model.Location{File: ix.path}
	}
	return model.Location{File: ix.path, Line: n.Line, Column: n.Column}
}

// serviceLoc is where service name is declared.
func (ix *index) serviceLoc(name string) model.Location {
	if s := ix.services[name]; s != nil {
		return ix.loc(s.key)
	}
	return model.Location{File: ix.path}
}

// fieldLoc is where field of service name is declared, or the service
// itself when the field is inherited (extends, a merge key).
func (ix *index) fieldLoc(name, key string) model.Location {
	if s := ix.services[name]; s != nil {
		if f, ok := s.fields[key]; ok {
			return ix.loc(f.key)
		}
	}
	return ix.serviceLoc(name)
}

// items returns the item nodes of a sequence field, or nil.
func (ix *index) items(name, key string) []*yaml.Node {
	if s := ix.services[name]; s != nil {
		if f, ok := s.fields[key]; ok && f.val.Kind == yaml.SequenceNode {
			return f.val.Content
		}
	}
	return nil
}

// scalar returns the scalar value node of a field, or nil.
func (ix *index) scalar(name, key string) *yaml.Node {
	if s := ix.services[name]; s != nil {
		if f, ok := s.fields[key]; ok && f.val.Kind == yaml.ScalarNode {
			return f.val
		}
	}
	return nil
}

// reference finds where file is named: an include entry or a service's
// extends.file.
func (ix *index) reference(file string) (model.Location, bool) {
	if inc, ok := ix.top["include"]; ok && inc.val.Kind == yaml.SequenceNode {
		for _, e := range inc.val.Content {
			if e.Value == file {
				return ix.loc(e), true
			}
			if e.Kind == yaml.MappingNode {
				if p := mappingValue(e, "path"); p != nil && (p.Value == file || slices.ContainsFunc(p.Content, func(n *yaml.Node) bool { return n.Value == file })) {
					return ix.loc(p), true
				}
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(ix.services)) {
		if f, ok := ix.services[name].fields["extends"]; ok && f.val.Kind == yaml.MappingNode {
			if v := mappingValue(f.val, "file"); v != nil && v.Value == file {
				return ix.loc(v), true
			}
		}
	}
	return model.Location{}, false
}
