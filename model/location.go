package model

import "fmt"

// Location is a position in an input file. Line and Column are 1-based; zero
// means unknown.
type Location struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
}

// String formats the location as file:line:column, leaving out unknown parts.
func (l Location) String() string {
	switch {
	case l.Line == 0:
		return l.File
	case l.Column == 0:
		return fmt.Sprintf("%s:%d", l.File, l.Line)
	default:
		return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Column)
	}
}

// Or returns l, or fallback when l has no line.
func (l Location) Or(fallback Location) Location {
	if l.Line == 0 {
		return fallback
	}
	return l
}
