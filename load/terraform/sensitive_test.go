package terraform_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/load/terraform"
	"github.com/immutcheck/immutcheck/report"
	"github.com/immutcheck/immutcheck/rules"
)

// secret appears only in sensitive values of the plan below.
const secret = "Hunter2-s3cr3t-9f8e7d"

// sensitivePlan hides the secret in every place a plan can: a sensitive
// top-level attribute, a key and a value of a sensitive map, a sensitive
// list element, a sensitive security group CIDR and a sensitive user data
// script that would otherwise trigger config-management-agent.
var sensitivePlan = `{
  "format_version": "1.2",
  "resource_changes": [
    {
      "address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "name": "web",
      "change": {
        "actions": ["update"],
        "before": {"user_data": "old-` + secret + `", "env": {"` + secret + `": "1"}, "list": ["a", "old-` + secret + `"], "key_name": "` + secret + `"},
        "after": {"user_data": "#!/bin/sh\nchef-client -d # ` + secret + `", "env": {"` + secret + `": "2"}, "list": ["a", "` + secret + `"], "key_name": "` + secret + `"},
        "before_sensitive": {"user_data": true, "env": true, "list": [false, true], "key_name": true},
        "after_sensitive": {"user_data": true, "env": true, "list": [false, true], "key_name": true}
      }
    },
    {
      "address": "aws_security_group.ssh", "mode": "managed", "type": "aws_security_group", "name": "ssh",
      "change": {
        "actions": ["create"], "before": null,
        "after": {"ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0", "` + secret + `"]}]},
        "after_sensitive": {"ingress": [{"cidr_blocks": [false, true]}]}
      }
    }
  ]
}`

// TestSensitiveValuesNeverReported renders the findings of a plan full of
// sensitive values in every output format and greps for the secret, in the
// model too.
func TestSensitiveValuesNeverReported(t *testing.T) {
	t.Parallel()
	f := terraform.Load("plan.json", []byte(sensitivePlan))
	if len(f.Problems) != 0 {
		t.Fatalf("problems: %v", f.Problems[0].Err)
	}
	model, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(model, []byte(secret)) || strings.Contains(fmt.Sprintf("%+v", f), secret) {
		t.Errorf("the secret is in the model: %s", model)
	}
	ev, err := rules.NewEvaluator(rules.All(), rules.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	findings := ev.Evaluate(f)
	var ids []string
	for _, fd := range findings {
		ids = append(ids, fd.Rule.ID)
	}
	// The in-place update is still reported, naming the redacted paths.
	if !strings.Contains(strings.Join(ids, " "), "inplace-update-planned") {
		t.Errorf("findings %v lack inplace-update-planned", ids)
	}
	r := &report.Report{
		Tool:     report.Tool{Name: "immutcheck", Version: "dev"},
		Rules:    rules.All(),
		Findings: findings,
		Files:    1,
		FailOn:   rules.High,
	}
	for _, format := range report.Formats {
		var buf bytes.Buffer
		if err := report.Write(&buf, format, r, report.Options{}); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if bytes.Contains(buf.Bytes(), []byte(secret)) {
			t.Errorf("%s output contains the secret:\n%s", format, buf.String())
		}
		if format == report.Text && !strings.Contains(buf.String(), "redacted") {
			t.Errorf("text output does not mark redacted attributes:\n%s", buf.String())
		}
	}
}

// TestSensitiveValuesNotInErrors checks that a rejected plan's error does
// not quote its content.
func TestSensitiveValuesNotInErrors(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{
		sensitivePlan + secret,
		strings.Replace(sensitivePlan, `"actions": ["update"]`, `"actions": "`+secret+`"`, 1),
		strings.Replace(sensitivePlan, `"actions": ["update"]`, `"actions": [`+strings.Repeat("1", 400)+`]`, 1),
		strings.Replace(sensitivePlan, `"old-`, `"old-\x01`, 1),
	} {
		f := terraform.Load("plan.json", []byte(doc))
		if len(f.Problems) == 0 {
			t.Fatal("hostile plan accepted")
		}
		if msg := f.Problems[0].Err.Error(); strings.Contains(msg, secret) {
			t.Errorf("error quotes the secret: %s", msg)
		}
	}
}
