package load

import "testing"

func TestSniffIaC(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc string
		want      Kind
	}{
		{"plan", `{"format_version":"1.2","resource_changes":[{"change":{"after":{"kind":"Deployment","apiVersion":"apps/v1"}}}]}`, TerraformPlan},
		{"plan with planned values only", `{"format_version":"0.1","planned_values":{}}`, TerraformPlan},
		{"change set", `{"ChangeSetName":"x","Changes":[]}`, CloudFormation},
		{"json template", `{"Resources":{"A":{"Type":"AWS::S3::Bucket"}}}`, CloudFormation},
		{"yaml template", "AWSTemplateFormatVersion: 2010-09-09\nResources: {}\n", CloudFormation},
		{"sam template", "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n", CloudFormation},
		{"manifest", "apiVersion: v1\nkind: Pod\n", Manifest},
		{"json manifest", `{"apiVersion":"v1","kind":"Pod"}`, Manifest},
		{"state file is not a plan", `{"format_version":"1.0","values":{}}`, Unknown},
		{"yaml with Resources but no AWS type", "Resources:\n  a: b\n", Unknown},
	}
	for _, tt := range tests {
		if got := sniff([]byte(tt.doc)); got != tt.want {
			t.Errorf("%s: sniff = %v, want %v", tt.name, got, tt.want)
		}
	}
	for _, n := range []string{"main.tf", "dir/x.tofu"} {
		if k, _ := kindOfName(n); k != TerraformConfig {
			t.Errorf("kindOfName(%q) = %v, want terraform", n, k)
		}
	}
}
