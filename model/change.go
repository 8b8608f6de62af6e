package model

// Action is one step of a planned change, in the words of Terraform's plan
// format: create, read, update, delete, no-op. Other tools' actions are
// mapped onto these (a CloudFormation Add is a create, Modify without
// replacement an update, a replacement create plus delete).
type Action string

// The actions of a planned change.
const (
	ActionCreate Action = "create"
	ActionRead   Action = "read"
	ActionUpdate Action = "update"
	ActionDelete Action = "delete"
	ActionNoOp   Action = "no-op"
)

// PlannedChange is a change an infrastructure-as-code tool will make to one
// resource: a Terraform/OpenTofu resource_changes entry or a CloudFormation
// change-set change.
//
// Attribute values are never stored, only the paths of attributes that
// change, so that a sensitive value cannot reach a report.
type PlannedChange struct {
	// Source names the format: "terraform-plan", "cloudformation".
	Source string
	// Address identifies the resource: a Terraform address
	// ("module.app.aws_instance.web[0]") or a CloudFormation logical ID.
	Address string
	// Type is the resource type ("aws_instance", "AWS::EC2::Instance").
	Type string
	// Provider is the provider that manages it, empty when not known.
	Provider string
	// Actions are the steps in the order the tool takes them:
	// [update], [delete create] (destroy before create), [create delete]
	// (create before destroy), [no-op], ...
	Actions []Action
	// Replacement is CloudFormation's own answer ("True", "False",
	// "Conditional"); empty for Terraform.
	Replacement string
	// Changed are the attributes that change, as paths
	// ("user_data", "tags.Name", "ebs_block_device[0].volume_size").
	Changed []ChangedAttribute
	// ReplacePaths are the attribute paths that force replacement.
	ReplacePaths []string
	// ActionReason is the tool's reason for the action, e.g.
	// "replace_because_cannot_update", "replace_by_triggers".
	ActionReason string
	// Settings are selected non-sensitive top-level scalar attributes of
	// the planned new state that rules need (e.g. "upgrade_mode",
	// "user_data_replace_on_change"), as written.
	Settings map[string]string
	Location Location

	Ignores []Ignore
}

// ChangedAttribute is an attribute that a planned change modifies.
type ChangedAttribute struct {
	// Path is the attribute path. Below a sensitive attribute nothing is
	// listed: map keys can be secrets too.
	Path string
	// Sensitive is true when the old or new value is sensitive.
	Sensitive bool
	// Unknown is true when the new value is known only after apply.
	Unknown bool
	// ForcesReplacement is true when the path is one of ReplacePaths.
	ForcesReplacement bool
}

// Subject returns the human name of the change's resource.
func (c *PlannedChange) Subject() string { return c.Address }

// Is reports whether the actions are exactly as.
func (c *PlannedChange) Is(as ...Action) bool {
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
