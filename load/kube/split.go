package kube

import (
	"bytes"
	"fmt"
)

// document is one document of a stream: its bytes, without the separator
// line, and the 1-based line of the file where they start.
type document struct {
	data []byte
	line int
}

// limitError is a stream or document over a limit, or a stream that cannot
// be split; it stops the stream at line.
type limitError struct {
	line int
	msg  string
}

func (e *limitError) Error() string { return e.msg }

// split cuts a stream into documents at separator lines and calls fn for
// each, in order, without parsing anything. It is the bound that runs before
// any parser: a document over maxBytes or a stream of more than maxDocs
// documents stops the split with a *limitError naming the line where the
// offending document starts. Empty documents (only spaces and comments) are
// not passed on and do not count as documents; so that a stream of
// separators alone is stopped too, at most 2*maxDocs+1 of them are allowed
// (enough for a separator before and after every document).
//
// A separator is a line that starts with "---" followed only by spaces or a
// comment; a line that starts with "---" and holds anything else is an
// error, as in kubectl's reader (k8s.io/apimachinery/pkg/util/yaml). The
// stream is scanned once, so the cost is linear in its size.
func split(data []byte, maxBytes int64, maxDocs int, fn func(document)) error {
	docs, empty := 0, 0
	start, startLine := 0, 1
	emit := func(end int) error {
		if int64(end-start) > maxBytes {
			return &limitError{line: startLine, msg: fmt.Sprintf("document is larger than the limit of %d bytes", maxBytes)}
		}
		if blank(data[start:end]) {
			if empty++; empty > 2*maxDocs+1 {
				return &limitError{line: startLine, msg: fmt.Sprintf("stream has more than %d empty documents", 2*maxDocs+1)}
			}
			return nil
		}
		if docs++; docs > maxDocs {
			return &limitError{line: startLine, msg: fmt.Sprintf("stream has more than %d documents", maxDocs)}
		}
		fn(document{data: data[start:end], line: startLine})
		return nil
	}
	line := 1
	for pos := 0; pos < len(data); line++ {
		eol := bytes.IndexByte(data[pos:], '\n')
		next := len(data)
		if eol >= 0 {
			next = pos + eol + 1
		}
		// Fail fast on a document that is already too large, before its end
		// is found.
		if int64(pos-start) > maxBytes {
			return &limitError{line: startLine, msg: fmt.Sprintf("document is larger than the limit of %d bytes", maxBytes)}
		}
		if l := data[pos:next]; bytes.HasPrefix(l, separator) {
			rest := bytes.TrimSpace(l[len(separator):])
			if len(rest) > 0 && rest[0] != '#' {
				if err := emit(pos); err != nil {
					return err
				}
				return &limitError{line: line, msg: "invalid document separator: only a comment may follow \"---\" on its line"}
			}
			if err := emit(pos); err != nil {
				return err
			}
			start, startLine = next, line+1
		}
		pos = next
	}
	return emit(len(data))
}

var separator = []byte("---")

// blank reports whether a document holds only spaces and comments.
func blank(doc []byte) bool {
	for len(doc) > 0 {
		eol := bytes.IndexByte(doc, '\n')
		l := doc
		if eol >= 0 {
			l, doc = doc[:eol], doc[eol+1:]
		} else {
			doc = nil
		}
		l = bytes.TrimSpace(l)
		if len(l) > 0 && l[0] != '#' {
			return false
		}
	}
	return true
}
