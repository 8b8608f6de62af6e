package terraform

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/immutcheck/immutcheck/load/internal/dupkeys"
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
		var ee *entryError
		var de *dupkeys.DuplicateError
		switch {
		case errors.As(err, &se):
			loc.Line = newLineCounter(data).at(int(se.Offset))
		case errors.As(err, &ee):
			loc.Line = ee.line
		case errors.As(err, &de):
			loc.Line = de.Line
		}
		f.Problems = append(f.Problems, model.Problem{Kind: model.Rejected, Location: loc, Err: err})
	}
	return f
}

// decode streams the document into f: it is validated as a whole (syntax,
// nesting, trailing data), then only format_version, resource_changes and
// configuration are decoded, resource changes one at a time.
func decode(f *model.File, path string, data []byte) error {
	if !json.Valid(data) {
		// json.Valid also rejects nesting beyond MaxDepth; say so plainly.
		if off, deep := depthExceeded(data, MaxDepth); deep {
			return fmt.Errorf("decode plan: nesting deeper than %d levels at byte %d", MaxDepth, off)
		}
		// Unmarshal reports the syntax error, and its offset, without
		// decoding anything.
		var v struct{}
		err := json.Unmarshal(data, &v)
		if err == nil {
			err = errors.New("invalid JSON")
		}
		if se := (*json.SyntaxError)(nil); errors.As(err, &se) && strings.Contains(se.Error(), "after top-level value") {
			return fmt.Errorf("decode plan: unexpected data after the plan document: %w", err)
		}
		return fmt.Errorf("decode plan: %w", err)
	}
	if err := dupkeys.Check(data); err != nil {
		return fmt.Errorf("decode plan: %w", err)
	}
	ms, err := members(data)
	if err != nil {
		return err
	}
	var version string
	// Keys match case-insensitively, as encoding/json (and so
	// terraform-json) matches them: "Resource_Changes" is read as what other
	// tools read it as.
	for _, m := range ms {
		if !strings.EqualFold(m.key, "format_version") {
			continue
		}
		if err := json.Unmarshal(data[m.start:m.end], &version); err != nil {
			return fmt.Errorf("decode plan format_version: %w", err)
		}
		if err := checkVersion(version); err != nil {
			return err
		}
	}
	if version == "" {
		return errors.New("decode plan: no format_version: not a terraform show -json plan")
	}
	lines := newLineCounter(data)
	for _, m := range ms {
		var err error
		switch strings.ToLower(m.key) {
		case "resource_changes":
			err = changes(f, path, data, m.start, m.end, lines)
		case "configuration":
			var c tfjson.Config
			if err = json.Unmarshal(data[m.start:m.end], &c); err == nil {
				configResources(f, c.RootModule, "", model.Location{File: path, Line: lines.at(m.start)}, 0)
			}
		}
		if err != nil {
			return fmt.Errorf("decode plan %s: %w", m.key, err)
		}
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
