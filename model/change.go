package model

// The actions of a planned change, in the words of Terraform's plan format.
// Other tools' actions are mapped onto these: a CloudFormation Add is a
// create, a Modify without replacement an update, a replacement create plus
// delete; Pulumi's update, replace, create-replacement and delete-replaced
// likewise.
const (
	ActionCreate = "create"
	ActionRead   = "read"
	ActionUpdate = "update"
	ActionDelete = "delete"
	ActionNoOp   = "no-op"
)

// PlannedChange is one change an infrastructure-as-code tool will make: a
// Terraform or OpenTofu plan entry, a CloudFormation change-set entry or a
// Pulumi step.
//
// Attribute values are never stored, only the paths of attributes that
// change, so that a sensitive value cannot reach a report.
type PlannedChange struct {
	// Source names the tool: "terraform", "cloudformation", "pulumi".
	Source string
	// Address identifies the resource: a Terraform address
	// ("module.app.aws_instance.web[0]"), a CloudFormation logical ID, a
	// Pulumi URN.
	Address string
	// Type is the resource type as the tool names it, e.g. "aws_instance",
	// "AWS::EC2::Instance", "aws:ec2/instance:Instance".
	Type string
	// Actions are the planned actions in the order they run: "create",
	// "update", "delete", "read", "no-op". A replacement is ["delete",
	// "create"] (destroy first) or ["create", "delete"] (create first).
	Actions []string
	// Changed names the attributes that change, as paths ("user_data",
	// "tags.Name", "ebs_block_device[0].volume_size"), never their values.
	// Below a sensitive attribute nothing is listed: map keys can be
	// secrets too.
	Changed []string
	// Sensitive lists the paths of Changed whose old or new value is
	// sensitive; reports mark them as redacted.
	Sensitive []string
	// Unknown lists the paths of Changed whose new value is known only
	// after apply.
	Unknown []string
	// ReplaceReasons names the attributes that force a replacement
	// (Terraform replace_paths, Pulumi replaceReasons, CloudFormation
	// details with RequiresRecreation).
	ReplaceReasons []string
	// Provider is the provider that manages the resource, when known.
	Provider string
	// Replacement is CloudFormation's own answer ("True", "False",
	// "Conditional"); empty for other tools.
	Replacement string
	// ActionReason is the tool's reason for the action, e.g.
	// "replace_because_cannot_update", "replace_by_triggers".
	ActionReason string
	// Settings are selected non-sensitive top-level scalar attributes of
	// the planned new state that rules need ("upgrade_mode",
	// "user_data_replace_on_change"), as written.
	Settings map[string]string
	// Location is where the change is written in the plan.
	Location Location
	// Ignores are the suppressions that apply to this change.
	Ignores []Ignore
}

// Subject returns the human name of the change: its address.
func (c *PlannedChange) Subject() string { return c.Address }

// IsUpdate reports whether the change modifies the resource in place.
func (c *PlannedChange) IsUpdate() bool {
	return len(c.Actions) == 1 && c.Actions[0] == ActionUpdate
}

// Is reports whether the actions are exactly as, in order.
func (c *PlannedChange) Is(as ...string) bool {
	if len(c.Actions) != len(as) {
		return false
	}
	for i, a := range as {
		if c.Actions[i] != a {
			return false
		}
	}
	return true
}
