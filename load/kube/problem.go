package kube

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/immutcheck/immutcheck/load/internal/badbyte"
	"github.com/immutcheck/immutcheck/model"
)

// yamlLine matches the line numbers in go-yaml's messages ("yaml: line 3:",
// "line 4: key \"a\" already set in map").
var yamlLine = regexp.MustCompile(`\bline (\d+)\b`)

// syntaxError is a YAML error whose line numbers were rewritten from
// document lines to file lines.
type syntaxError struct {
	msg string
	err error
}

func (e *syntaxError) Error() string { return e.msg }
func (e *syntaxError) Unwrap() error { return e.err }

// yamlProblem turns an error of the YAML parser for doc into a Rejected
// problem located at the first line the error names. The parser counts
// lines from the start of the document; the message is rewritten to count
// them from the start of the file.
func yamlProblem(path string, doc document, err error) model.Problem {
	loc := model.Location{File: path, Line: doc.line}
	first := true
	msg := yamlLine.ReplaceAllStringFunc(err.Error(), func(m string) string {
		n, convErr := strconv.Atoi(m[len("line "):])
		if convErr != nil {
			return m
		}
		n += doc.line - 1
		if first {
			loc.Line, first = n, false
		}
		return "line " + strconv.Itoa(n)
	})
	if first && badbyte.IsReaderError(msg) {
		// The reader names no position for a byte it refuses.
		if n := badbyte.Line(doc.data); n > 0 {
			loc.Line = doc.line + n - 1
			msg += " at line " + strconv.Itoa(loc.Line)
		}
	}
	// One line, without the parser's own prefix: "unmarshal errors:\n  line
	// 4: ..." becomes "unmarshal errors: line 4: ...".
	msg = strings.ReplaceAll(strings.TrimPrefix(msg, "yaml: "), "\n  ", " ")
	return model.Problem{
		Kind:     model.Rejected,
		Location: loc,
		Err:      fmt.Errorf("parse yaml: %w", &syntaxError{msg: msg, err: err}),
	}
}

// rejected is a Rejected problem about obj at loc.
func rejected(loc model.Location, obj string, err error) model.Problem {
	return model.Problem{Kind: model.Rejected, Location: loc, Object: obj, Err: err}
}

// fieldPathError is an error of the typed decode that names a field path.
type fieldPathError interface {
	error
	// path is the dotted field path, e.g. "spec.replicas".
	path() string
}

// typeError reports a value of the wrong type at a field path, as the API
// server would refuse it.
type typeError struct {
	field string
	err   error
}

func (e *typeError) Error() string {
	return fmt.Sprintf("field %s: %v", e.field, e.err)
}
func (e *typeError) Unwrap() error { return e.err }
func (e *typeError) path() string  { return e.field }

// unknownFieldError is a field the schema does not know.
type unknownFieldError struct {
	field string
}

func (e *unknownFieldError) Error() string {
	return fmt.Sprintf("unknown field %q", e.field)
}
func (e *unknownFieldError) path() string { return e.field }

// located locates an error of the typed decode at its field path, or at p.
func located(err error, p pos) model.Location {
	var fe fieldPathError
	if errors.As(err, &fe) && fe.path() != "" {
		return p.path(fe.path()).loc()
	}
	return p.loc()
}

// yamlProblem is yamlProblem for a document of d, naming the first
// definition of a duplicate key when it can find it.
func (d *decoder) yamlProblem(doc document, err error) model.Problem {
	p := yamlProblem(d.path, doc, err)
	if first, again := firstDefinition(d.path, doc, p.Location.Line, err); first > 0 {
		p.Location.Line = again
		p.Err = fmt.Errorf("%w (key defined at lines %d and %d)", p.Err, first, again)
	}
	return p
}
