package cloudformation

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/load/internal/loadtest"
	"github.com/immutcheck/immutcheck/model"
)

func TestRejects(t *testing.T) {
	t.Parallel()
	loadtest.WantRejects(t, "t.yaml", Load, []loadtest.Reject{
		{Name: "syntax", Doc: "Resources:\n  A:\n    Type: [\n", Want: "read cloudformation", Line: 3},
		{Name: "two documents", Doc: "Resources: {}\n---\nResources: {}\n", Want: "more than one document", Line: 0},
		{Name: "trailing JSON", Doc: `{"Resources": {}} {}`, Want: "read cloudformation", Line: 0},
		{Name: "not a mapping", Doc: "- a\n- b\n", Want: "not a mapping", Line: 1},
		{Name: "not a template", Doc: "Foo: bar\n", Want: "not a template", Line: 1},
		{Name: "resources not a mapping", Doc: "AWSTemplateFormatVersion: x\nResources: [a]\n", Want: "Resources is not a mapping", Line: 1},
		{Name: "changes not a list", Doc: `{"ChangeSetId": "x", "Changes": {}}`, Want: "Changes is not a list", Line: 1},
		{Name: "unknown anchor", Doc: "Resources:\n  R: *nope\n", Want: "unknown anchor", Line: 0},
		{Name: "too deep", Doc: "Resources: " + strings.Repeat("[", 10001) + strings.Repeat("]", 10001), Want: "read cloudformation", Line: 0},
		{Name: "empty", Doc: "", Want: "empty document", Line: 0},
	})
}

func TestAliasBombRejected(t *testing.T) {
	t.Parallel()
	doc := "AWSTemplateFormatVersion: x\nx0: &x0 [a, a, a, a, a, a, a, a, a, a]\n"
	for i := 1; i <= 7; i++ {
		prev := "*x" + string(rune('0'+i-1))
		doc += "x" + string(rune('0'+i)) + ": &x" + string(rune('0'+i)) + " [" + strings.TrimSuffix(strings.Repeat(prev+", ", 10), ", ") + "]\n"
	}
	doc += "Resources:\n  R:\n    Type: AWS::EC2::Instance\n    Properties:\n      X: *x7\n"
	f := Load("bomb.yaml", []byte(doc))
	if len(f.Problems) == 0 || len(f.Resources) != 0 {
		t.Fatalf("alias bomb accepted: %d resources", len(f.Resources))
	}
}

func TestTemplateShortTagsAndJSON(t *testing.T) {
	t.Parallel()
	yamlDoc := `Resources:
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    UpdatePolicy:
      AutoScalingReplacingUpdate:
        WillReplace: true
    Properties:
      MixedInstancesPolicy:
        LaunchTemplate:
          LaunchTemplateSpecification:
            LaunchTemplateId: !Ref LT
            Version: !GetAtt LT.LatestVersionNumber
  Host:
    Type: AWS::EC2::Instance
    Properties:
      KeyName: ops
      UserData: !Base64
        Fn::Join:
          - ""
          - - "#!/bin/bash\n"
            - "chef-client -d -i 1800 -E "
            - !Ref Env
`
	jsonDoc := `{
  "Resources": {
    "Group": {
      "Type": "AWS::AutoScaling::AutoScalingGroup",
      "UpdatePolicy": {"AutoScalingReplacingUpdate": {"WillReplace": true}},
      "Properties": {"MixedInstancesPolicy": {"LaunchTemplate": {"LaunchTemplateSpecification": {
        "LaunchTemplateId": {"Ref": "LT"}, "Version": {"Fn::GetAtt": ["LT", "LatestVersionNumber"]}}}}}
    },
    "Host": {
      "Type": "AWS::EC2::Instance",
      "Properties": {"KeyName": "ops", "UserData": {"Fn::Base64": {"Fn::Join": ["", ["#!/bin/bash\n", "chef-client -d -i 1800 -E ", {"Ref": "Env"}]]}}}
    }
  }
}`
	for name, doc := range map[string]string{"yaml": yamlDoc, "json": jsonDoc} {
		f := Load("t", []byte(doc))
		if len(f.Problems) != 0 || len(f.Resources) != 2 {
			t.Fatalf("%s: problems %v, %d resources", name, f.Problems, len(f.Resources))
		}
		g, h := f.Resources[0], f.Resources[1]
		got := []string{g.Role, g.Rollout.Kind, g.LaunchTemplate.Template, g.LaunchTemplate.Version.Value, h.Role, h.KeyName.Value, h.UserData.Commands[0].Shell}
		want := []string{"instance-group", "AutoScalingReplacingUpdate", "Ref LT", "GetAtt LT.LatestVersionNumber", "instance", "ops", "#!/bin/bash\nchef-client -d -i 1800 -E ${Ref Env}"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", name, diff)
		}
	}
}

func TestChangeSet(t *testing.T) {
	t.Parallel()
	doc := `{
  "ChangeSetName": "c",
  "Changes": [
    {"Type": "Resource", "ResourceChange": {"Action": "Modify", "LogicalResourceId": "Web", "ResourceType": "AWS::EC2::Instance", "Replacement": "True",
      "Details": [{"Target": {"Attribute": "Properties", "Name": "ImageId", "RequiresRecreation": "Always", "BeforeValue": "secret-a", "AfterValue": "secret-b"}},
                  {"Target": {"Attribute": "Tags", "RequiresRecreation": "Never"}}]}},
    {"Type": "Resource", "ResourceChange": {"Action": "Modify", "LogicalResourceId": "Db", "ResourceType": "AWS::RDS::DBInstance", "Replacement": "Conditional"}},
    {"Type": "Resource", "ResourceChange": {"Action": "Add", "LogicalResourceId": "New", "ResourceType": "AWS::S3::Bucket"}},
    {"Type": "Resource", "ResourceChange": {"Action": "Remove", "LogicalResourceId": "Old", "ResourceType": "AWS::S3::Bucket"}}
  ]
}`
	f := Load("cs.json", []byte(doc))
	if len(f.Problems) != 0 {
		t.Fatal(f.Problems[0].Err)
	}
	at := func(line int) model.Location { return model.Location{File: "cs.json", Line: line, Column: 5} }
	want := []*model.PlannedChange{
		{Source: "cloudformation", Address: "Web", Type: "AWS::EC2::Instance", Replacement: "True", Actions: []string{"create", "delete"},
			Changed: []string{"ImageId", "Tags"}, ReplaceReasons: []string{"ImageId"}, Location: at(4)},
		{Source: "cloudformation", Address: "Db", Type: "AWS::RDS::DBInstance", Replacement: "Conditional", Actions: []string{"update"}, Location: at(7)},
		{Source: "cloudformation", Address: "New", Type: "AWS::S3::Bucket", Actions: []string{"create"}, Location: at(8)},
		{Source: "cloudformation", Address: "Old", Type: "AWS::S3::Bucket", Actions: []string{"delete"}, Location: at(9)},
	}
	if diff := cmp.Diff(want, f.Changes); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

// FuzzLoad feeds arbitrary bytes to the CloudFormation loader: no panic,
// and a rejected document yields nothing.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		"Resources:\n  A:\n    Type: AWS::EC2::Instance\n    Properties:\n      KeyName: !Ref K\n      UserData: !Base64 {\"Fn::Sub\": \"#cloud-config\\nchef: {}\"}\n",
		`{"ChangeSetId":"x","Changes":[{"ResourceChange":{"Action":"Modify","Replacement":"False","ResourceType":"AWS::EC2::Instance","Details":[{"Target":{"Name":"A"}}]}}]}`,
		"a: &a [1]\nb: [*a, *a]\nResources: {R: {Type: AWS::EC2::SecurityGroup, Properties: {SecurityGroupIngress: *a}}}\n",
		"Resources:\n  A: !GetAtt [x, y]\n", "---\n---\n", "{", "Resources: !Ref\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file := Load("fuzz.yaml", data)
		if len(file.Problems) > 0 && (len(file.Resources) > 0 || len(file.Changes) > 0) {
			t.Fatal("rejected document yields values")
		}
	})
}
