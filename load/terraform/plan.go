package terraform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/immutcheck/immutcheck/model"
)

// Format is the model.File format of plan documents.
const Format = "terraform-plan"

// UnsupportedVersionError is returned for a plan whose format_version has a
// major version this package does not read.
type UnsupportedVersionError struct {
	Version string
}

func (e *UnsupportedVersionError) Error() string {
	return fmt.Sprintf("unsupported plan format_version %q: only 0.x and 1.x plans (terraform show -json) can be read", e.Version)
}

// Load decodes a plan JSON document read from path.
func Load(path string, data []byte) *model.File {
	f := &model.File{Path: path, Format: Format}
	if err := decode(f, path, data); err != nil {
		f.Changes, f.Resources = nil, nil
		loc := model.Location{File: path}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			loc.Line = newLineCounter(data).at(int(se.Offset))
		}
		f.Problems = append(f.Problems, model.Problem{Kind: model.Rejected, Location: loc, Err: err})
	}
	return f
}

// decode streams the document into f.
func decode(f *model.File, path string, data []byte) error {
	if off, deep := depthExceeded(data, MaxDepth); deep {
		return fmt.Errorf("decode plan: nesting deeper than %d levels at byte %d", MaxDepth, off)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	lines := newLineCounter(data)
	if err := expectDelim(dec, '{'); err != nil {
		return fmt.Errorf("decode plan: %w", err)
	}
	var version string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("decode plan: %w", err)
		}
		key, _ := tok.(string)
		switch key {
		case "format_version":
			if err := dec.Decode(&version); err != nil {
				return fmt.Errorf("decode plan format_version: %w", err)
			}
			if err := checkVersion(version); err != nil {
				return err
			}
		case "resource_changes":
			err = changes(f, path, dec, lines)
		case "configuration":
			line := lines.at(int(dec.InputOffset()))
			var c tfjson.Config
			if err = dec.Decode(&c); err == nil {
				configResources(f, c.RootModule, "", model.Location{File: path, Line: line}, 0)
			}
		default:
			err = skip(dec)
		}
		if err != nil {
			return fmt.Errorf("decode plan %s: %w", key, err)
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return fmt.Errorf("decode plan: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("decode plan: unexpected data after the plan document")
	}
	if version == "" {
		return errors.New("decode plan: no format_version: not a terraform show -json plan")
	}
	return nil
}

// checkVersion accepts the plan format majors 0 and 1.
func checkVersion(v string) error {
	major, _, _ := strings.Cut(v, ".")
	if major != "0" && major != "1" {
		return &UnsupportedVersionError{Version: v}
	}
	return nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q", string(want))
	}
	return nil
}

// skip reads past one value token by token, so that a large section that
// is not needed (planned_values, prior_state) is never held in memory.
// Depth was bounded before decoding started.
func skip(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}
