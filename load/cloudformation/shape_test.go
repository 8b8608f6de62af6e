package cloudformation

import (
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/model"
)

// TestTemplateShape: resources CloudFormation would refuse and keys named
// twice are located load errors, never a clean template.
func TestTemplateShape(t *testing.T) {
	t.Parallel()
	const head = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
	tests := []struct {
		name, data, want string
		line             int
	}{
		{"Type a number", head + "  Web:\n    Type: 42\n", "Type is not a resource type name", 4},
		{"no Type", head + "  Web:\n    Properties: {}\n", "resource Web has no Type", 3},
		{"resource a list", head + "  Web:\n    - Type: AWS::EC2::Instance\n", "resource Web is not a mapping", 3},
		{"Properties a list", head + "  Web:\n    Type: AWS::EC2::Instance\n    Properties:\n      - ImageId: ami-1\n", "Properties is not a mapping", 6},
		{"duplicate key", head + "  Web:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-1\n      ImageId: ami-2\n", `duplicate key "ImageId" at line 7 (first at line 6)`, 7},
		{"change set entry without ResourceChange", "ChangeSetId: x\nChanges:\n  - Type: Resource\n", "without a ResourceChange mapping", 3},
		{"change set unknown action", "ChangeSetId: x\nChanges:\n  - ResourceChange:\n      LogicalResourceId: Web\n      Action: Frobnicate\n", `Action "Frobnicate" is not one CloudFormation writes`, 4},
		{"change set Details a map", "ChangeSetId: x\nChanges:\n  - ResourceChange:\n      LogicalResourceId: Web\n      Action: Modify\n      Details: {a: b}\n", "Details is not a list", 6},
		{"duplicate key in JSON", `{"Resources":{"Web":{"Type":"AWS::EC2::Instance","Type":"AWS::S3::Bucket"}}}`, `duplicate key "Type"`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Load("t.yaml", []byte(tt.data))
			if len(f.Problems) != 1 || f.Problems[0].Kind != model.Rejected {
				t.Fatalf("got %d problems, %d resources; want one rejection", len(f.Problems), len(f.Resources))
			}
			p := f.Problems[0]
			if !strings.Contains(p.Err.Error(), tt.want) || p.Location.Line != tt.line {
				t.Errorf("got line %d %q, want line %d %q", p.Location.Line, p.Err, tt.line, tt.want)
			}
		})
	}
}
