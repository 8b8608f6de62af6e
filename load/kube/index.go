package kube

import (
	"strconv"
	"strings"

	"github.com/immutcheck/immutcheck/model"
	yaml "go.yaml.in/yaml/v3"
)

// maxLookups bounds the mapping entries and sequence items one document's
// position lookups may visit. Lookups are path-directed and never follow
// aliases, so a document costs at most this much however it is shaped.
const maxLookups = 1 << 20

// index locates the nodes of one document's yaml.Node tree in its file.
// The model's values are never read from the tree (they come from the
// typed decode); the tree only says where they are written.
type index struct {
	file    string
	lineOff int // lines of the file before the document
	budget  int
}

// newIndex parses doc for positions. A document the position parser cannot
// read (where it disagrees with the strict decoder) yields positions at the
// document start rather than an error: the strict decode decides validity.
func newIndex(file string, doc document) (ix *index, root pos) {
	var n yaml.Node
	if err := safeUnmarshal(doc.data, &n); err != nil {
		n = yaml.Node{}
	}
	root = newPos(file, doc, &n)
	return root.ix, root
}

// newPos returns the position of the root of a document parsed into n.
func newPos(file string, doc document, n *yaml.Node) pos {
	ix := &index{file: file, lineOff: doc.line - 1, budget: maxLookups}
	root := pos{ix: ix, fallback: model.Location{File: file, Line: doc.line}}
	if n.Kind != yaml.DocumentNode || len(n.Content) == 0 {
		return root
	}
	return root.with(n.Content[0], nil)
}

// safeUnmarshal parses into a yaml.Node and turns a panic of the parser
// into an error.
func safeUnmarshal(data []byte, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errPositionParse
		}
	}()
	return yaml.Unmarshal(data, n)
}

type positionError struct{}

func (positionError) Error() string { return "position parse failed" }

var errPositionParse error = positionError{}

// pos is a place in a document: a node when it is written there, else the
// location of the nearest enclosing node that is. The zero pos is usable
// and has no location.
type pos struct {
	ix       *index
	node     *yaml.Node // nil when the value is not written (or not found)
	key      *yaml.Node // the mapping key of node, if any
	fallback model.Location
}

func (p pos) with(n, key *yaml.Node) pos {
	return pos{ix: p.ix, node: n, key: key, fallback: p.loc()}
}

// loc is where the value is written, or where its nearest written ancestor
// is.
func (p pos) loc() model.Location {
	if p.node == nil || p.ix == nil {
		return p.fallback
	}
	return p.ix.location(p.node)
}

// keyLoc is where the value's key is written, falling back to loc.
func (p pos) keyLoc() model.Location {
	if p.key == nil || p.ix == nil {
		return p.loc()
	}
	return p.ix.location(p.key)
}

func (ix *index) location(n *yaml.Node) model.Location {
	return model.Location{File: ix.file, Line: n.Line + ix.lineOff, Column: n.Column}
}

// get returns the value of key in a mapping. An alias, a merge key or a
// missing key yields a pos without node, located at p: aliases are never
// followed, so an aliased value is located where the alias is written.
func (p pos) get(key string) pos {
	n := p.node
	if n == nil || n.Kind != yaml.MappingNode {
		return pos{ix: p.ix, fallback: p.loc()}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if !p.ix.spend() {
			break
		}
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return p.with(n.Content[i+1], k)
		}
	}
	return pos{ix: p.ix, fallback: p.loc()}
}

// at returns item i of a sequence.
func (p pos) at(i int) pos {
	n := p.node
	if n == nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) || !p.ix.spend() {
		return pos{ix: p.ix, fallback: p.loc()}
	}
	return p.with(n.Content[i], nil)
}

// path follows a field path as the JSON decoder writes it:
// "spec.template.spec.containers[0].image". A path without indices into a
// sequence stops at the sequence.
func (p pos) path(fieldPath string) pos {
	for _, part := range strings.Split(fieldPath, ".") {
		name, rest, _ := strings.Cut(part, "[")
		if name != "" {
			p = p.get(name)
		}
		for rest != "" {
			num, after, ok := strings.Cut(rest, "]")
			i, err := strconv.Atoi(num)
			if !ok || err != nil {
				return p
			}
			p = p.at(i)
			rest = strings.TrimPrefix(after, "[")
		}
	}
	return p
}

func (ix *index) spend() bool {
	if ix == nil || ix.budget <= 0 {
		return false
	}
	ix.budget--
	return true
}
