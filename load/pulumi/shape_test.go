package pulumi

import (
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/model"
)

const goodStep = `{"op":"update","urn":"urn:pulumi:dev::p::aws:ec2/instance:Instance::web","diffReasons":["ami"]}`

func preview(steps ...string) string {
	return "{\"steps\":[\n" + strings.Join(steps, ",\n") + "\n]}"
}

// TestStepShape: steps the engine does not write, and keys named twice,
// are located load errors, never a clean preview.
func TestStepShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data, want string
		line             int
	}{
		{"unknown op", preview(goodStep, strings.Replace(goodStep, `"update"`, `"frobnicate"`, 1)), `"op" "frobnicate" is not an operation`, 3},
		{"no op", preview(`{"urn":"urn:pulumi:dev::p::t::n"}`), `step without "op"`, 2},
		{"empty step", preview(`{}`), `step without "op"`, 2},
		{"no urn", preview(`{"op":"update"}`), `is not a Pulumi URN`, 2},
		{"duplicate op", preview(strings.Replace(goodStep, `"op":"update"`, `"op":"update","op":"same"`, 1)), `duplicate key "op" at line 2`, 2},
		{"case-folded op", preview(strings.Replace(goodStep, `"op":"update"`, `"op":"update","Op":"same"`, 1)), `duplicate key "Op"`, 2},
		{"event log", `{"sequence":1,"resourcePreEvent":{"metadata":{"op":"frobnicate","urn":"urn:pulumi:a::b::c::d"}}}`, `not an operation`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Load("preview.json", []byte(tt.data))
			if len(f.Problems) != 1 || f.Problems[0].Kind != model.Rejected {
				t.Fatalf("got %d problems, %d changes; want one rejection", len(f.Problems), len(f.Changes))
			}
			p := f.Problems[0]
			if !strings.Contains(p.Err.Error(), tt.want) || p.Location.Line != tt.line {
				t.Errorf("got line %d %q, want line %d %q", p.Location.Line, p.Err, tt.line, tt.want)
			}
		})
	}
	if f := Load("preview.json", []byte(preview(goodStep))); len(f.Problems) != 0 || len(f.Changes) != 1 {
		t.Fatalf("good preview: %v, %d changes", f.Problems, len(f.Changes))
	}
}

// FuzzSteps checks that any step either loads as a change with actions or
// is rejected at a line of the preview.
func FuzzSteps(f *testing.F) {
	f.Add(goodStep)
	f.Add(`{}`)
	f.Add(strings.Replace(goodStep, `"update"`, `"frobnicate"`, 1))
	f.Add(strings.Replace(goodStep, `"op":"update"`, `"op":"update","Op":"same"`, 1))
	f.Add(`{"op":"replace","urn":"urn:pulumi:a::b::c::d","keys":["x"]}`)
	f.Fuzz(func(t *testing.T, s string) {
		data := preview(s)
		file := Load("preview.json", []byte(data))
		switch {
		case len(file.Problems) == 0:
			for _, c := range file.Changes {
				if len(c.Actions) == 0 {
					t.Errorf("change %s without actions", c.Address)
				}
			}
		case len(file.Problems) == 1:
			if l := file.Problems[0].Location.Line; l < 0 || l > strings.Count(data, "\n")+1 {
				t.Errorf("problem at line %d", l)
			}
		default:
			t.Errorf("%d problems", len(file.Problems))
		}
	})
}
