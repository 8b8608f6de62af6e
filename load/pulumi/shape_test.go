package pulumi

import (
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

const goodStep = `{"op":"update","urn":"urn:pulumi:dev::p::aws:ec2/instance:Instance::web","diffReasons":["ami"]}`

func preview(steps ...string) string {
	return "{\"steps\":[\n" + strings.Join(steps, ",\n") + "\n]}"
}

// TestStepShape: steps the engine does not write, and keys named twice,
// are located load errors, never a clean preview.
func TestStepShape(t *testing.T) {
	t.Parallel()
	loadtest.WantRejects(t, "preview.json", Load, []loadtest.Reject{
		{Name: "unknown op", Doc: preview(goodStep, strings.Replace(goodStep, `"update"`, `"frobnicate"`, 1)), Want: `"op" "frobnicate" is not an operation`, Line: 3},
		{Name: "no op", Doc: preview(`{"urn":"urn:pulumi:dev::p::t::n"}`), Want: `step without "op"`, Line: 2},
		{Name: "empty step", Doc: preview(`{}`), Want: `step without "op"`, Line: 2},
		{Name: "no urn", Doc: preview(`{"op":"update"}`), Want: `is not a Pulumi URN`, Line: 2},
		{Name: "duplicate op", Doc: preview(strings.Replace(goodStep, `"op":"update"`, `"op":"update","op":"same"`, 1)), Want: `duplicate key "op" at line 2`, Line: 2},
		{Name: "case-folded op", Doc: preview(strings.Replace(goodStep, `"op":"update"`, `"op":"update","Op":"same"`, 1)), Want: `duplicate key "Op"`, Line: 2},
		{Name: "event log", Doc: `{"sequence":1,"resourcePreEvent":{"metadata":{"op":"frobnicate","urn":"urn:pulumi:a::b::c::d"}}}`, Want: `not an operation`, Line: 1},
	})
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
