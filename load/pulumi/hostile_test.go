package pulumi

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
	"github.com/immutcheck/immutcheck/rules"
)

func TestLoadRejects(t *testing.T) {
	t.Parallel()
	loadtest.WantRejects(t, "p.json", Load, []loadtest.Reject{
		{Name: "not json", Doc: "steps:\n- op: update", Want: "parse pulumi preview", Line: 1},
		{Name: "array", Doc: `[{"op":"update"}]`, Want: "must be a JSON object", Line: 1},
		{Name: "no steps", Doc: `{"config": {}}`, Want: "no steps or changeSummary", Line: 1},
		{Name: "steps not array", Doc: `{"steps": {"op": "update"}}`, Want: "steps must be an array", Line: 1},
		{Name: "duplicate steps", Doc: "{\"steps\": [],\n\"steps\": []}", Want: "duplicate key", Line: 2},
		{Name: "trailing", Doc: "{\"steps\": []}\n{}", Want: "trailing data", Line: 2},
		{Name: "bad step", Doc: "{\"steps\": [\n{\"op\": 5}]}", Want: "parse pulumi preview", Line: 2},
		{Name: "truncated", Doc: "{\"steps\": [\n{\"op\": \"update\"", Want: "parse pulumi preview", Line: 2},
		{Name: "deep nesting", Doc: "{\"config\": " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + ", \"steps\": []}", Want: "exceeded max depth", Line: 1},
		{Name: "deep event", Doc: "{\"sequence\":0,\"preludeEvent\":{}}\n{\"resourcePreEvent\":" + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "}", Want: "parse pulumi event", Line: 2},
		{Name: "bad event line", Doc: "{\"sequence\":0,\"preludeEvent\":{}}\n{\"sequence\":1,\"resourcePreEvent\":\n", Want: "line 2: parse pulumi event", Line: 2},
		{Name: "event wrong type", Doc: "{\"sequence\":0,\"preludeEvent\":{}}\n{\"resourcePreEvent\":{\"metadata\":{\"op\":[]}}}", Want: "parse pulumi event", Line: 2},
	})
}

// TestSecretsNeverOutput checks that property values (here a secret user
// data script) appear in no finding and no error.
func TestSecretsNeverOutput(t *testing.T) {
	t.Parallel()
	const secret = "hunter2-S3CR3T"
	docs := []string{
		`{"steps":[{"op":"update","urn":"urn:pulumi:s::p::aws:ec2/instance:Instance::vm","oldState":{"inputs":{"userData":"` + secret + `"}},"newState":{"type":"aws:ec2/instance:Instance","inputs":{"userData":{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","plaintext":"` + secret + `"}}},"diffReasons":["userData"]}],"changeSummary":{}}`,
		`{"steps":[{"op":"update","urn":"urn:pulumi:s::p::aws:ec2/instance:Instance::vm","oldState":{"inputs":{"userData":"` + secret + `"}},"newState":` + secret + `}]}`,
		"{\"sequence\":0,\"preludeEvent\":{}}\n{\"resourcePreEvent\":{\"metadata\":{\"op\":\"update\",\"urn\":\"urn:pulumi:s::p::aws:ec2/instance:Instance::vm\",\"new\":{\"inputs\":{\"userData\":\"" + secret + "\"}},\"diffs\":[\"userData\"]}}}",
		"{\"sequence\":0,\"preludeEvent\":{}}\n{\"resourcePreEvent\":{\"metadata\":{\"new\":{\"inputs\":{\"userData\":\"" + secret + "\"}}}} " + secret,
	}
	e, err := rules.NewEvaluator(rules.All(), rules.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	for i, doc := range docs {
		f := Load("p.json", []byte(doc))
		var out strings.Builder
		for _, p := range f.Problems {
			fmt.Fprintln(&out, p.Err)
		}
		for _, fd := range e.Evaluate(f) {
			fmt.Fprintln(&out, fd.Subject, fd.Message)
		}
		if strings.Contains(out.String(), secret) {
			t.Errorf("doc %d: secret in output:\n%s", i, out.String())
		}
		if out.Len() == 0 {
			t.Errorf("doc %d: nothing reported; the test would pass vacuously", i)
		}
	}
}

// TestCorpus loads the engine event logs of Pulumi's own lifecycle tests.
// None is rejected; across them the loader finds 12 replacements and 4
// in-place updates (all of test types, so no finding).
func TestCorpus(t *testing.T) {
	t.Parallel()
	replaced, updated := 0, 0
	for _, f := range (loadtest.Corpus{Dir: "pulumi", Load: Load}).Run(t) {
		for _, c := range f.Changes {
			switch strings.Join(c.Actions, ",") {
			case "create,delete", "delete,create":
				replaced++
			case "update":
				updated++
			}
		}
		if got := loadtest.Findings(t, f); len(got) != 0 {
			t.Errorf("%s: findings %v", filepath.Base(f.Path), got)
		}
	}
	if replaced != 12 || updated != 4 {
		t.Errorf("replacements = %d, updates = %d; want 12 and 4", replaced, updated)
	}
}

func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		`{"steps":[{"op":"update","urn":"urn:pulumi:s::p::aws:ec2/instance:Instance::vm","diffReasons":["userData"]}],"changeSummary":{"update":1}}`,
		"{\"sequence\":0,\"preludeEvent\":{}}\n{\"resourcePreEvent\":{\"metadata\":{\"op\":\"delete-replaced\",\"urn\":\"u\"}}}\n{\"resourcePreEvent\":{\"metadata\":{\"op\":\"create-replacement\",\"urn\":\"u\"}}}",
		`{"steps":null,"changeSummary":{}}`, `{"steps":[1]}`, "{\"sequence\":1}\n\n\n{", `{"steps":[{"urn":"a::b::c$d::e"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = loadtest.Findings(t, Load("fuzz.json", data))
	})
}
