package jsontree

import "strconv"

// Get returns the member key of an object node, or nil. It is safe on a nil
// node and on nodes that are not objects.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i, k := range n.Keys {
		if k == key {
			return n.Values[i]
		}
	}
	return nil
}

// Items returns the elements of an array node, or nil.
func (n *Node) Items() []*Node {
	if n == nil || n.Kind != Array {
		return nil
	}
	return n.Values
}

// Str returns the value of a string node.
func (n *Node) Str() (string, bool) {
	if n == nil || n.Kind != String {
		return "", false
	}
	return n.Text, true
}

// Bool returns the value of a boolean node. The strings "true" and "false"
// are accepted too, as AWS and HashiCorp tools accept them.
func (n *Node) Bool() (bool, bool) {
	if n == nil || (n.Kind != Bool && n.Kind != String) {
		return false, false
	}
	b, err := strconv.ParseBool(n.Text)
	return b, err == nil && (n.Kind == Bool || n.Text == "true" || n.Text == "false")
}

// Int returns the value of an integer number node (or a string holding
// one), compared exactly: 1e3 or 1.5 are not integers.
func (n *Node) Int() (int64, bool) {
	if n == nil || (n.Kind != Number && n.Kind != String) {
		return 0, false
	}
	i, err := strconv.ParseInt(n.Text, 10, 64)
	return i, err == nil
}

// Strings returns the string elements of an array node; non-strings are
// skipped and reported by ok = false.
func (n *Node) Strings() (out []string, ok bool) {
	ok = true
	for _, v := range n.Items() {
		s, isStr := v.Str()
		if !isStr {
			ok = false
			continue
		}
		out = append(out, s)
	}
	return out, ok
}

// Is reports whether n is present and of kind k.
func (n *Node) Is(k Kind) bool { return n != nil && n.Kind == k }
