package pulumi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// lineError is a decoding error at a line.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *lineError) Unwrap() error { return e.err }

// maxEventLine caps one event of an event log.
const maxEventLine = 16 << 20

// eventSteps decodes the resourcePreEvent steps of an event log.
func eventSteps(data []byte) ([]step, error) {
	var out []step
	for n, line := 1, data; len(line) > 0; n++ {
		var cur []byte
		cur, line, _ = bytes.Cut(line, []byte("\n"))
		cur = bytes.TrimSpace(cur)
		if len(cur) == 0 {
			continue
		}
		if len(cur) > maxEventLine {
			return nil, &lineError{n, fmt.Errorf("parse pulumi event: event longer than %d bytes", maxEventLine)}
		}
		var ev struct {
			Pre *struct {
				Metadata *step `json:"metadata"`
			} `json:"resourcePreEvent"`
		}
		if err := json.Unmarshal(cur, &ev); err != nil {
			return nil, &lineError{n, fmt.Errorf("parse pulumi event: %w", err)}
		}
		if ev.Pre == nil || ev.Pre.Metadata == nil {
			continue
		}
		s := *ev.Pre.Metadata
		s.line = n
		out = append(out, s)
	}
	return out, nil
}

// previewSteps decodes the steps of a `pulumi preview --json` document,
// streaming them one at a time so that each keeps its line.
func previewSteps(data []byte) ([]step, error) {
	lines := newLineIndex(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	wrap := func(err error) error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return &lineError{lines.at(int(se.Offset)), fmt.Errorf("parse pulumi preview: %w", err)}
		}
		return &lineError{lines.at(int(dec.InputOffset())), fmt.Errorf("parse pulumi preview: %w", err)}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		if err == nil {
			err = errors.New("preview must be a JSON object")
		}
		return nil, wrap(err)
	}
	var out []step
	seenSteps, seenSummary := false, false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, wrap(err)
		}
		switch key, _ := tok.(string); key {
		case "steps":
			if seenSteps {
				return nil, wrap(errors.New("duplicate key \"steps\""))
			}
			seenSteps = true
			if out, err = decodeSteps(dec, lines, data); err != nil {
				return nil, wrap(err)
			}
		default:
			seenSummary = seenSummary || key == "changeSummary"
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, wrap(err)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, wrap(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, wrap(errors.New("trailing data after the preview document"))
	}
	if !seenSteps && !seenSummary {
		return nil, &lineError{1, errors.New("parse pulumi preview: no steps or changeSummary")}
	}
	return out, nil
}

// decodeSteps reads the steps array from dec, recording the line where
// each step starts. "steps": null is no steps.
func decodeSteps(dec *json.Decoder, lines *lineIndex, data []byte) ([]step, error) {
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		if err == nil && tok == nil {
			return nil, nil // "steps": null
		}
		if err == nil {
			err = errors.New("steps must be an array")
		}
		return nil, err
	}
	var out []step
	for dec.More() {
		start := skipSpace(data, int(dec.InputOffset()))
		var s step
		if err := dec.Decode(&s); err != nil {
			return nil, err
		}
		s.line = lines.at(start)
		out = append(out, s)
	}
	_, err := dec.Token() // ']'
	return out, err
}

// skipSpace returns the offset of the next value at or after off, past
// white space and a separating comma.
func skipSpace(data []byte, off int) int {
	for off < len(data) && bytes.IndexByte([]byte(" \t\r\n,"), data[off]) >= 0 {
		off++
	}
	return off
}

// lineIndex maps byte offsets to 1-based lines.
type lineIndex struct{ starts []int }

// newLineIndex records where each line of data starts.
func newLineIndex(data []byte) *lineIndex {
	idx := &lineIndex{starts: []int{0}}
	for i, b := range data {
		if b == '\n' {
			idx.starts = append(idx.starts, i+1)
		}
	}
	return idx
}

// at returns the line of byte offset off, by binary search.
func (l *lineIndex) at(off int) int {
	lo, hi := 0, len(l.starts)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if l.starts[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + 1
}
