package cli

import (
	"strings"
	"testing"
)

// secretPlan has an in-place update of an instance whose changed user data
// is sensitive.
const secretPlan = `{
  "format_version": "1.2",
  "resource_changes": [
    {
      "address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "name": "web",
      "change": {
        "actions": ["update"],
        "before": {"user_data": "old-Zq9-topsecret", "tags": {"Name": "web"}},
        "after": {"user_data": "new-Zq9-topsecret", "tags": {"Name": "web2"}},
        "before_sensitive": {"user_data": true, "tags": {}},
        "after_sensitive": {"user_data": true, "tags": {}}
      }
    }
  ]
}`

// TestIaCScan runs the CLI on plans and configuration: exit codes, messages
// with locations, and no sensitive value in any output format.
func TestIaCScan(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	plan := writeFile(t, dir, "plan.json", secretPlan)
	v2 := writeFile(t, dir, "v2/plan.json", strings.Replace(secretPlan, `"1.2"`, `"2.0"`, 1))
	broken := writeFile(t, dir, "broken/main.tf", "resource \"aws_instance\" \"a\" {\n  ami = = 1\n}\n")
	tests := []struct {
		name string
		args []string
		want int
		out  string
	}{
		{"in-place update", []string{"scan", plan}, ExitFindings, "user_data (sensitive, redacted)"},
		{"unknown plan format", []string{"scan", v2}, ExitCouldNotCheck, `unsupported plan format_version "2.0"`},
		{"HCL error", []string{"scan", broken}, ExitCouldNotCheck, "main.tf:2:"},
	}
	for _, tt := range tests {
		code, out, errOut := run(t, "", tt.args...)
		if code != tt.want || !strings.Contains(out+errOut, tt.out) {
			t.Errorf("%s: exit %d (want %d), output lacks %q:\n%s%s", tt.name, code, tt.want, tt.out, out, errOut)
		}
	}
	for _, format := range []string{"text", "json", "sarif", "junit", "policyreport"} {
		code, out, errOut := run(t, "", "scan", "--format", format, plan)
		if code != ExitFindings {
			t.Errorf("%s: exit %d", format, code)
		}
		if strings.Contains(out+errOut, "topsecret") {
			t.Errorf("%s output contains the sensitive value:\n%s%s", format, out, errOut)
		}
	}
}
