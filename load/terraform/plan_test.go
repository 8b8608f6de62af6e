package terraform

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/model"
)

// minimalPlan returns a format 1.2 plan with one resource change whose
// change object is given.
func minimalPlan(version, change string) string {
	return `{"format_version":"` + version + `","terraform_version":"1.9.5","resource_changes":[
{"address":"aws_instance.web","mode":"managed","type":"aws_instance","name":"web","provider_name":"terraform.example.com/hashicorp/aws",
"change":` + change + `}]}`
}

func rejectedErr(t *testing.T, f *model.File) error {
	t.Helper()
	for _, p := range f.Problems {
		if p.Kind == model.Rejected {
			return p.Err
		}
	}
	return nil
}

func TestLoadRejects(t *testing.T) {
	t.Parallel()
	update := `{"actions":["update"],"before":{"a":1},"after":{"a":2}}`
	deep := strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1)
	tests := []struct {
		name, doc, want string
	}{
		{"major 2", minimalPlan("2.0", update), `unsupported plan format_version "2.0"`},
		{"major 10", minimalPlan("10.1", update), `unsupported plan format_version "10.1"`},
		{"no version", `{"resource_changes":[]}`, "no format_version"},
		{"trailing object", minimalPlan("1.2", update) + ` {}`, "unexpected data after the plan document"},
		{"trailing garbage", minimalPlan("1.2", update) + `x`, "unexpected data after the plan document"},
		{"too deep", minimalPlan("1.2", `{"actions":["update"],"before":{"a":1},"after":{"a":`+deep+`}}`), "nesting deeper than 10000"},
		{"not an object", `[1,2]`, "not a JSON object"},
		{"truncated", minimalPlan("1.2", update)[:60], "unexpected end of JSON input"},
		{"changes not array", `{"format_version":"1.2","resource_changes":{}}`, "not an array"},
		{"empty", ``, "unexpected end of JSON input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := Load("plan.json", []byte(tt.doc))
			err := rejectedErr(t, f)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
			if len(f.Changes) != 0 || len(f.Resources) != 0 {
				t.Errorf("a rejected plan must yield nothing, got %d changes, %d resources", len(f.Changes), len(f.Resources))
			}
		})
	}
	var ve *UnsupportedVersionError
	if !errors.As(rejectedErr(t, Load("p", []byte(minimalPlan("2.0", update)))), &ve) || ve.Version != "2.0" {
		t.Errorf("unsupported version is not an *UnsupportedVersionError")
	}
}

// TestKeysMatchLikeEncodingJSON checks that top-level keys match case
// insensitively, as encoding/json matches terraform-json's fields.
func TestKeysMatchLikeEncodingJSON(t *testing.T) {
	t.Parallel()
	doc := strings.Replace(strings.Replace(minimalPlan("1.2", `{"actions":["update"],"before":{"a":1},"after":{"a":2}}`), "resource_changes", "Resource_Changes", 1), "format_version", "FORMAT_VERSION", 1)
	f := Load("plan.json", []byte(doc))
	if err := rejectedErr(t, f); err != nil || len(f.Changes) != 1 {
		t.Errorf("err %v, %d changes; want the change read", err, len(f.Changes))
	}
}

func TestLoadAcceptsVersions(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"0.1", "0.2", "1.0", "1.2", "1.99"} {
		f := Load("plan.json", []byte(minimalPlan(v, `{"actions":["update"],"before":{"a":1},"after":{"a":2}}`)))
		if err := rejectedErr(t, f); err != nil || len(f.Changes) != 1 {
			t.Errorf("format_version %s: err %v, %d changes", v, err, len(f.Changes))
		}
	}
}

func TestChangedPaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                        string
		change                      string
		changed, sensitive, unknown []string
		replace                     []string
	}{
		{
			name:    "integers beyond 2^53 compared exactly",
			change:  `{"actions":["update"],"before":{"n":9007199254740992,"same":9007199254740993,"f":1.0},"after":{"n":9007199254740993,"same":9007199254740993,"f":1}}`,
			changed: []string{"n"},
		},
		{
			name:    "nested maps and lists",
			change:  `{"actions":["update"],"before":{"tags":{"a":"1","b":"2"},"l":[1,2]},"after":{"tags":{"a":"1","c":"3"},"l":[1,2,3]}}`,
			changed: []string{"l[2]", "tags.b", "tags.c"},
		},
		{
			name:      "sensitive map: no key below it is listed",
			change:    `{"actions":["update"],"before":{"env":{"TOKEN":"x"}},"after":{"env":{"TOKEN":"y","NEW_SECRET_NAME":"z"}},"before_sensitive":{"env":true},"after_sensitive":{"env":true}}`,
			changed:   []string{"env"},
			sensitive: []string{"env"},
		},
		{
			name:    "unknown after apply",
			change:  `{"actions":["update"],"before":{"ip":"10.0.0.1"},"after":{},"after_unknown":{"ip":true}}`,
			changed: []string{"ip"},
			unknown: []string{"ip"},
		},
		{
			name:    "odd keys are quoted",
			change:  `{"actions":["update"],"before":{"tags":{"a b":"1"}},"after":{"tags":{"a b":"2"}}}`,
			changed: []string{`tags["a b"]`},
		},
		{
			name:    "replace paths",
			change:  `{"actions":["delete","create"],"before":{"ami":"a","disk":[{"size":1}]},"after":{"ami":"b","disk":[{"size":2}]},"replace_paths":[["ami"],["disk",0,"size"]]}`,
			changed: []string{"ami", "disk[0].size"},
			replace: []string{"ami", "disk[0].size"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := Load("plan.json", []byte(minimalPlan("1.2", tt.change)))
			if err := rejectedErr(t, f); err != nil {
				t.Fatal(err)
			}
			c := f.Changes[0]
			got := []any{c.Changed, c.Sensitive, c.Unknown, c.ReplaceReasons}
			want := []any{tt.changed, tt.sensitive, tt.unknown, tt.replace}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("changed, sensitive, unknown, replace (-want +got):\n%s", diff)
			}
		})
	}
}

func TestChangeFields(t *testing.T) {
	t.Parallel()
	doc := `{
  "format_version": "1.2",
  "resource_changes": [
    {"address": "data.aws_ami.x", "mode": "data", "type": "aws_ami", "name": "x", "change": {"actions": ["read"]}},
    {
      "address": "module.app.aws_instance.web[0]", "module_address": "module.app", "mode": "managed",
      "type": "aws_instance", "name": "web", "index": 0, "provider_name": "terraform.example.com/hashicorp/aws",
      "change": {"actions": ["create", "delete"], "before": {"ami": "a"}, "after": {"ami": "b", "user_data_replace_on_change": true},
                 "after_unknown": {}, "replace_paths": [["ami"]]},
      "action_reason": "replace_because_cannot_update"
    }
  ]
}`
	f := Load("plan.json", []byte(doc))
	if err := rejectedErr(t, f); err != nil {
		t.Fatal(err)
	}
	want := []*model.PlannedChange{{
		Source: "terraform", Address: "module.app.aws_instance.web[0]", Type: "aws_instance",
		Provider: "terraform.example.com/hashicorp/aws", Actions: []string{"create", "delete"},
		Changed: []string{"ami", "user_data_replace_on_change"}, ReplaceReasons: []string{"ami"},
		ActionReason: "replace_because_cannot_update",
		Settings:     map[string]string{"user_data_replace_on_change": "true"},
		Location:     model.Location{File: "plan.json", Line: 5},
	}}
	if diff := cmp.Diff(want, f.Changes); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if len(f.Resources) != 1 || f.Resources[0].Role != "instance" {
		t.Errorf("resources = %+v, want one instance", f.Resources)
	}
}
