package dockerfile

import (
	"strings"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// source is the raw text of the file, split into lines, for what the parser
// does not report: columns, comments and the end of the file.
type source struct {
	lines []string // lines[i] is line i+1, without its line ending
}

func newSource(data []byte) *source {
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return &source{lines: lines}
}

// line returns line n (1-based), or "" when out of range.
func (s *source) line(n int) string {
	if n < 1 || n > len(s.lines) {
		return ""
	}
	return s.lines[n-1]
}

// continuationAtEOF returns the line of a continuation that the file ends
// in, or 0. BuildKit accepts such a file and ends the instruction there, but
// a file cut off mid-instruction is not what its author wrote. Only lines
// after the last instruction's start are looked at, so that heredoc bodies
// are not mistaken for instructions.
func (s *source) continuationAtEOF(res *parser.Result) int {
	kids := res.AST.Children
	if len(kids) == 0 {
		return 0
	}
	last := kids[len(kids)-1]
	if len(last.Heredocs) > 0 {
		return 0
	}
	for n := len(s.lines); n >= last.StartLine && n >= 1; n-- {
		l := strings.TrimRight(s.line(n), " \t")
		t := strings.TrimLeft(l, " \t")
		if t == "" || (n > last.StartLine && t[0] == '#') {
			continue
		}
		if strings.HasSuffix(l, string(res.EscapeToken)) {
			return n
		}
		return 0
	}
	return 0
}

// column returns the 1-based column (in characters) of word as the first
// argument that is not a flag on line n, which starts with instruction
// keyword; 0 when the word is not found there (it may be on a continuation
// line).
func (s *source) column(n int, word string) int {
	l := s.line(n)
	off := 0
	first := true
	for {
		rest := l[off:]
		trimmed := strings.TrimLeft(rest, " \t")
		off += len(rest) - len(trimmed)
		if trimmed == "" {
			return 0
		}
		end := strings.IndexAny(trimmed, " \t")
		if end < 0 {
			end = len(trimmed)
		}
		tok := trimmed[:end]
		switch {
		case first:
			first = false
		case strings.HasPrefix(tok, "--"):
		case tok == word:
			return utf8.RuneCountInString(l[:off]) + 1
		default:
			return 0
		}
		off += end
	}
}
