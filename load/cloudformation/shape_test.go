package cloudformation

import (
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

// TestTemplateShape: resources CloudFormation would refuse and keys named
// twice are located load errors, never a clean template.
func TestTemplateShape(t *testing.T) {
	t.Parallel()
	const head = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
	loadtest.WantRejects(t, "t.yaml", Load, []loadtest.Reject{
		{Name: "Type a number", Doc: head + "  Web:\n    Type: 42\n", Want: "Type is not a resource type name", Line: 4},
		{Name: "no Type", Doc: head + "  Web:\n    Properties: {}\n", Want: "resource Web has no Type", Line: 3},
		{Name: "resource a list", Doc: head + "  Web:\n    - Type: AWS::EC2::Instance\n", Want: "resource Web is not a mapping", Line: 3},
		{Name: "Properties a list", Doc: head + "  Web:\n    Type: AWS::EC2::Instance\n    Properties:\n      - ImageId: ami-1\n", Want: "Properties is not a mapping", Line: 6},
		{Name: "duplicate key", Doc: head + "  Web:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-1\n      ImageId: ami-2\n", Want: `duplicate key "ImageId" at line 7 (first at line 6)`, Line: 7},
		{Name: "change set entry without ResourceChange", Doc: "ChangeSetId: x\nChanges:\n  - Type: Resource\n", Want: "without a ResourceChange mapping", Line: 3},
		{Name: "change set unknown action", Doc: "ChangeSetId: x\nChanges:\n  - ResourceChange:\n      LogicalResourceId: Web\n      Action: Frobnicate\n", Want: `Action "Frobnicate" is not one CloudFormation writes`, Line: 4},
		{Name: "change set Details a map", Doc: "ChangeSetId: x\nChanges:\n  - ResourceChange:\n      LogicalResourceId: Web\n      Action: Modify\n      Details: {a: b}\n", Want: "Details is not a list", Line: 6},
		{Name: "duplicate key in JSON", Doc: `{"Resources":{"Web":{"Type":"AWS::EC2::Instance","Type":"AWS::S3::Bucket"}}}`, Want: `duplicate key "Type"`, Line: 1},
	})
}
