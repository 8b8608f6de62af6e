package dupkeys

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// DuplicateError names a key an object holds twice.
type DuplicateError struct {
	Key, First      string
	Line, FirstLine int
}

func (e *DuplicateError) Error() string {
	if e.Key != e.First {
		return fmt.Sprintf("duplicate key %q at line %d (first %q at line %d; keys match regardless of case)", e.Key, e.Line, e.First, e.FirstLine)
	}
	return fmt.Sprintf("duplicate key %q at line %d (first at line %d)", e.Key, e.Line, e.FirstLine)
}

// linearKeys is how many keys an object holds before they go in a map.
const linearKeys = 16

// seenKey is a key met in the open object: its bytes (unescaped; they
// alias the document when the key has no escape) and its line.
type seenKey struct {
	key  []byte
	line int
}

type object struct {
	keys []seenKey
	idx  map[string]int
}

// find returns the key equal to key under case folding. A small object
// is searched in place, without allocating; a larger one has a map of
// folded keys.
func (o *object) find(key []byte) (seenKey, bool) {
	if o.idx != nil {
		i, ok := o.idx[foldKey(string(key))]
		if ok {
			return o.keys[i], true
		}
		return seenKey{}, false
	}
	for _, k := range o.keys {
		if bytes.EqualFold(k.key, key) {
			return k, true
		}
	}
	return seenKey{}, false
}

func (o *object) add(k seenKey) {
	o.keys = append(o.keys, k)
	if o.idx == nil && len(o.keys) > linearKeys {
		o.idx = make(map[string]int, 2*linearKeys)
		for i, k := range o.keys {
			o.idx[foldKey(string(k.key))] = i
		}
	} else if o.idx != nil {
		o.idx[foldKey(string(k.key))] = len(o.keys) - 1
	}
}

// Check scans data, which must be valid JSON (json.Valid), and returns a
// *DuplicateError for the first object that names a key twice, exactly or
// case-folded as encoding/json folds it. Its memory is the keys of the
// objects open at one time.
func Check(data []byte) error {
	var stack []*object
	var free []*object
	var open []byte // the containers open: '{' or '['

	line := 1
	expectKey := false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '\n':
			line++
		case '{':
			var o *object
			if n := len(free); n > 0 {
				o, free = free[n-1], free[:n-1]
				o.keys, o.idx = o.keys[:0], nil
			} else {
				o = &object{}
			}
			stack = append(stack, o)
			open = append(open, '{')
			expectKey = true
		case '}':
			if n := len(stack); n > 0 {
				free = append(free, stack[n-1])
				stack = stack[:n-1]
			}
			if n := len(open); n > 0 {
				open = open[:n-1]
			}
			expectKey = false
		case '[':
			open = append(open, '[')
			expectKey = false
		case ']':
			if n := len(open); n > 0 {
				open = open[:n-1]
			}
			expectKey = false
		case ':':
			expectKey = false
		case ',':
			expectKey = len(open) > 0 && open[len(open)-1] == '{'
		case '"':
			end, escaped := stringEnd(data, i)
			if expectKey && len(stack) > 0 {
				raw := data[i : end+1]
				key := raw[1 : len(raw)-1]
				if escaped {
					var s string
					if err := json.Unmarshal(raw, &s); err != nil {
						return err
					}
					key = []byte(s)
				}
				o := stack[len(stack)-1]
				if prev, ok := o.find(key); ok {
					return &DuplicateError{Key: string(key), First: string(prev.key), Line: line, FirstLine: prev.line}
				}
				o.add(seenKey{key: key, line: line})
			}
			expectKey = false
			i = end
		}
	}
	return nil
}

// stringEnd returns the index of the closing quote of the string opening
// at data[i], and whether it holds an escape.
func stringEnd(data []byte, i int) (int, bool) {
	escaped := false
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			escaped = true
			j++
		case '"':
			return j, escaped
		}
	}
	return len(data) - 1, escaped
}

// foldKey maps key to one representative of its case-folding class, as
// encoding/json compares field names: each rune becomes the smallest rune
// of its simple-folding orbit.
func foldKey(key string) string {
	ascii := true
	for i := 0; i < len(key); i++ {
		if c := key[i]; c >= utf8.RuneSelf || (c >= 'a' && c <= 'z') {
			ascii = false
			break
		}
	}
	if ascii {
		return key
	}
	b := make([]byte, 0, len(key))
	for _, r := range key {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		b = utf8.AppendRune(b, m)
	}
	return string(b)
}
