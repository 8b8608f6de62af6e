package jsontree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Kind is the JSON type of a node.
type Kind int

// The JSON types.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

// DefaultMaxDepth bounds nesting when Parse is given no bound.
const DefaultMaxDepth = 1000

// Node is one JSON value.
type Node struct {
	Kind Kind
	// Text is the value of a string, the literal of a number, or "true",
	// "false", "null".
	Text string
	// Line is the 1-based line where the value starts (for objects and
	// arrays, the line of the opening bracket).
	Line int
	// Keys and Values hold an object's members in order; Values alone holds
	// an array's elements.
	Keys   []string
	Values []*Node
}

// SyntaxError is a parse error with the line where it happened.
type SyntaxError struct {
	Line int
	Err  error
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }
func (e *SyntaxError) Unwrap() error { return e.Err }

// Parse parses one JSON document. maxDepth bounds nesting (0 means
// DefaultMaxDepth).
func Parse(data []byte, maxDepth int) (*Node, error) {
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	p := &parser{data: data, dec: json.NewDecoder(bytes.NewReader(data)), max: maxDepth, line: 1}
	p.dec.UseNumber()
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, p.errorf("trailing data after the JSON document")
	}
	return n, nil
}

type parser struct {
	data []byte
	dec  *json.Decoder
	max  int
	// off and line track the line of the decoder's input offset.
	off, line int
}

// lineAt returns the line of byte offset off; offsets only grow.
func (p *parser) lineAt(off int) int {
	if off > len(p.data) {
		off = len(p.data)
	}
	if off > p.off {
		p.line += bytes.Count(p.data[p.off:off], []byte("\n"))
		p.off = off
	}
	return p.line
}

func (p *parser) errorf(format string, args ...any) error {
	return &SyntaxError{Line: p.lineAt(int(p.dec.InputOffset())), Err: fmt.Errorf(format, args...)}
}

func (p *parser) token() (json.Token, int, error) {
	tok, err := p.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, 0, &SyntaxError{Line: p.lineAt(int(se.Offset)), Err: err}
		}
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, 0, &SyntaxError{Line: p.lineAt(int(p.dec.InputOffset())), Err: err}
	}
	end := int(p.dec.InputOffset())
	return tok, p.lineAt(max(end-1, 0)), nil
}

func (p *parser) value(depth int) (*Node, error) {
	tok, line, err := p.token()
	if err != nil {
		return nil, err
	}
	return p.fromToken(tok, line, depth)
}

func (p *parser) fromToken(tok json.Token, line, depth int) (*Node, error) {
	switch t := tok.(type) {
	case json.Delim:
		if depth >= p.max {
			return nil, p.errorf("nesting deeper than %d levels", p.max)
		}
		if t == '[' {
			return p.array(line, depth+1)
		}
		return p.object(line, depth+1)
	case string:
		return &Node{Kind: String, Text: t, Line: line}, nil
	case json.Number:
		return &Node{Kind: Number, Text: t.String(), Line: line}, nil
	case bool:
		return &Node{Kind: Bool, Text: strconv.FormatBool(t), Line: line}, nil
	case nil:
		return &Node{Kind: Null, Text: "null", Line: line}, nil
	}
	return nil, p.errorf("unexpected token")
}

func (p *parser) array(line, depth int) (*Node, error) {
	n := &Node{Kind: Array, Line: line}
	for p.dec.More() {
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		n.Values = append(n.Values, v)
	}
	if _, _, err := p.token(); err != nil { // ']'
		return nil, err
	}
	return n, nil
}

func (p *parser) object(line, depth int) (*Node, error) {
	n := &Node{Kind: Object, Line: line}
	seen := map[string]bool{}
	for p.dec.More() {
		tok, _, err := p.token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		if seen[key] {
			return nil, p.errorf("duplicate key %q", key)
		}
		seen[key] = true
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		n.Keys = append(n.Keys, key)
		n.Values = append(n.Values, v)
	}
	if _, _, err := p.token(); err != nil { // '}'
		return nil, err
	}
	return n, nil
}

// LineOf returns the line of a *SyntaxError in err's chain, or 0.
func LineOf(err error) int {
	var se *SyntaxError
	if errors.As(err, &se) {
		return se.Line
	}
	return 0
}
