package model

// PlannedChange is one change an infrastructure-as-code tool will make: a
// Terraform or OpenTofu plan entry, a CloudFormation change-set entry or a
// Pulumi step.
type PlannedChange struct {
	// Source names the tool: "terraform", "cloudformation", "pulumi".
	Source string
	// Address identifies the resource: a Terraform address, a
	// CloudFormation logical ID, a Pulumi URN.
	Address string
	// Type is the resource type as the tool names it, e.g. "aws_instance",
	// "AWS::EC2::Instance", "aws:ec2/instance:Instance".
	Type string
	// Actions are the planned actions in the order they run: "create",
	// "update", "delete", "read", "no-op". A replacement is ["delete",
	// "create"] (destroy first) or ["create", "delete"] (create first).
	Actions []string
	// Changed names the attributes that change (never their values).
	Changed []string
	// ReplaceReasons names the attributes that force a replacement.
	ReplaceReasons []string
	// Location is where the change is written in the plan.
	Location Location
	// Ignores are the suppressions that apply to this change.
	Ignores []Ignore
}

// Subject returns the human name of the change: its address.
func (c *PlannedChange) Subject() string { return c.Address }

// IsUpdate reports whether the change modifies the resource in place.
func (c *PlannedChange) IsUpdate() bool {
	return len(c.Actions) == 1 && c.Actions[0] == "update"
}
