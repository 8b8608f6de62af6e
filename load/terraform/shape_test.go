package terraform

import (
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

const goodChange = `{"address":"aws_instance.a","mode":"managed","type":"aws_instance","name":"a","change":{"actions":["update"],"before":{"ami":"x"},"after":{"ami":"y"}}}`

func plan(changes ...string) string {
	return "{\"format_version\":\"1.2\",\n\"resource_changes\":[\n" + strings.Join(changes, ",\n") + "\n]}"
}

// TestPlanShape: a plan Terraform could not have written is a located
// load error, never a clean plan.
func TestPlanShape(t *testing.T) {
	t.Parallel()
	loadtest.WantRejects(t, "plan.json", Load, []loadtest.Reject{
		{Name: "empty change", Doc: `{"format_version":"1.2","resource_changes":[{}]}`, Want: `resource change without "address"`, Line: 1},
		{Name: "a million empty changes", Doc: `{"format_version":"1.2","resource_changes":[` + strings.Repeat("{},", 999999) + `{}]}`, Want: `entry 0: resource change without "address"`, Line: 1},
		{Name: "no change", Doc: plan(goodChange, `{"address":"a.b","mode":"managed","type":"a","name":"b"}`), Want: `resource change a.b without "change"`, Line: 4},
		{Name: "unknown action", Doc: plan(strings.Replace(goodChange, `"update"`, `"frobnicate"`, 1)), Want: `"actions" ["frobnicate"] is not an action list`, Line: 3},
		{Name: "no actions", Doc: plan(strings.Replace(goodChange, `["update"]`, `[]`, 1)), Want: `is not an action list`, Line: 3},
		{Name: "bad mode", Doc: plan(strings.Replace(goodChange, `"managed"`, `"other"`, 1)), Want: `"mode" "other"`, Line: 3},
		{Name: "duplicate actions", Doc: plan(strings.Replace(goodChange, `"actions":["update"]`, `"actions":["update"],"actions":["no-op"]`, 1)), Want: `duplicate key "actions" at line 3 (first at line 3)`, Line: 3},
		{Name: "case-folded actions", Doc: plan(strings.Replace(goodChange, `"actions":["update"]`, `"actions":["update"],"Actions":["no-op"]`, 1)), Want: `duplicate key "Actions"`, Line: 3},
	})
	if f := Load("plan.json", []byte(plan(goodChange, strings.Replace(goodChange, `["update"]`, `["create","delete"]`, 1)))); len(f.Problems) != 0 || len(f.Changes) != 2 {
		t.Fatalf("good plan: %d problems, %d changes", len(f.Problems), len(f.Changes))
	}
}

// FuzzPlanShape checks that any resource change either loads as one
// change of a known action list or is rejected at a line of the plan.
func FuzzPlanShape(f *testing.F) {
	f.Add(goodChange)
	f.Add(`{}`)
	f.Add(`{"address":"a.b","mode":"managed","type":"a","name":"b"}`)
	f.Add(strings.Replace(goodChange, `"update"`, `"frobnicate"`, 1))
	f.Add(strings.Replace(goodChange, `"actions":["update"]`, `"actions":["update"],"Actions":["no-op"]`, 1))
	f.Add(strings.Replace(goodChange, `"managed"`, `"data"`, 1))
	f.Fuzz(func(t *testing.T, change string) {
		data := plan(change)
		file := Load("plan.json", []byte(data))
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
			if len(file.Changes) != 0 {
				t.Errorf("rejected plan kept %d changes", len(file.Changes))
			}
		default:
			t.Errorf("%d problems", len(file.Problems))
		}
	})
}
