package dockerfile

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/immutcheck/immutcheck/model"
)

// Format is the model.File format and model.Build source of Dockerfiles.
const Format = "dockerfile"

// maxErrLen bounds how much of a parser message is kept: BuildKit quotes
// parts of the offending line, and a message must not carry a whole file.
const maxErrLen = 200

// MaxBytes bounds a Dockerfile. Real ones are kilobytes; BuildKit's parser
// has no bound of its own and reads pathological input at about 1 MB/s.
const MaxBytes = 4 << 20

// Load parses a Dockerfile read from path. It returns a file with one
// Build, or with a Rejected problem and no build when the builder would not
// accept the input.
func Load(path string, data []byte) (f *model.File) {
	f = &model.File{Path: path, Format: Format}
	defer func() {
		// BuildKit's parser is third-party code fed with hostile input:
		// a panic in it rejects this file instead of ending the scan.
		if r := recover(); r != nil {
			f.Builds = nil
			f.Problems = []model.Problem{{Kind: model.Rejected, Location: model.Location{File: path},
				Err: fmt.Errorf("%w: %.100v", ErrParserPanic, r)}}
		}
	}()
	b, err := load(path, data)
	if err != nil {
		f.Problems = append(f.Problems, problem(path, err))
		return f
	}
	f.Builds = []*model.Build{b}
	return f
}

// ErrParserPanic is the error of a file whose parsing panicked; it is a bug
// to report.
var ErrParserPanic = errors.New("internal error: the Dockerfile parser panicked")

// lineError is an error at a line of the file (1-based).
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return e.err.Error() }
func (e *lineError) Unwrap() error { return e.err }

func atLine(line int, format string, args ...any) error {
	return &lineError{line: line, err: fmt.Errorf(format, args...)}
}

func load(path string, data []byte) (*model.Build, error) {
	if err := precheck(data); err != nil {
		return nil, err
	}
	res, err := parser.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, parseError(err)
	}
	src := newSource(data)
	if line := src.continuationAtEOF(res); line > 0 {
		return nil, atLine(line, "line continuation at end of file")
	}
	// A linter that reports nowhere: BuildKit dereferences it, and writes
	// to its maps, when a "# check=" comment sits above an instruction.
	stages, metaArgs, err := instructions.Parse(res.AST, linter.New(&linter.Config{}))
	if err != nil {
		return nil, fmt.Errorf("parse dockerfile: %w", err)
	}
	if len(stages) == 0 {
		return nil, atLine(1, "no FROM instruction")
	}
	c := &converter{path: path, src: src, lex: newExpander(res.EscapeToken, metaArgs)}
	b := &model.Build{
		Source:   Format,
		Name:     path,
		Location: model.Location{File: path, Line: 1},
	}
	if err := c.convert(b, stages); err != nil {
		return nil, err
	}
	b.Ignores = src.ignores(path, res.AST.Children)
	return b, nil
}

// precheck rejects inputs that BuildKit would read but that are almost
// certainly not what the author meant to build: nothing at all, a
// byte-order mark (BuildKit drops a UTF-8 one silently; a UTF-16 file is
// unreadable to it) and NUL bytes (a binary or UTF-16 file).
func precheck(data []byte) error {
	switch {
	case len(data) > MaxBytes:
		return atLine(1, "Dockerfile is larger than %d bytes", MaxBytes)
	case len(bytes.TrimSpace(data)) == 0:
		return atLine(1, "empty file")
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return atLine(1, "file starts with a UTF-8 byte-order mark")
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return atLine(1, "file starts with a UTF-16 byte-order mark; Dockerfiles are UTF-8")
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return atLine(1+bytes.Count(data[:i], []byte("\n")), "NUL byte in file")
	}
	return nil
}

// problem turns a load error into a Rejected problem, taking the line from
// our own errors or from BuildKit's location errors.
func problem(path string, err error) model.Problem {
	loc := model.Location{File: path}
	var le *lineError
	var pe *parser.LocationError
	switch {
	case errors.As(err, &le):
		loc.Line = le.line
	case errors.As(err, &pe):
		for _, rs := range pe.Locations {
			if len(rs) > 0 && rs[0].Start.Line > 0 {
				loc.Line = rs[0].Start.Line
				break
			}
		}
	}
	if msg := err.Error(); len(msg) > maxErrLen {
		err = errors.New(strings.ToValidUTF8(msg[:maxErrLen], "") + "...")
	}
	return model.Problem{Kind: model.Rejected, Location: loc, Err: err}
}

// parseError wraps an error of BuildKit's parser. The errors it raises
// before counting the line it is reading (a bad directive, a line longer
// than its scanner takes) carry the number of the line before; those are
// corrected here.
func parseError(err error) error {
	err = fmt.Errorf("parse dockerfile: %w", err)
	var pe *parser.LocationError
	if !errors.As(err, &pe) || len(pe.Locations) == 0 || len(pe.Locations[0]) == 0 {
		return err
	}
	msg := err.Error()
	for _, early := range []string{"max allowed size", "invalid escape token", "parser directive can be used"} {
		if strings.Contains(msg, early) {
			return &lineError{line: pe.Locations[0][0].Start.Line + 1, err: err}
		}
	}
	return err
}
