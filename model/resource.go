package model

// Resource is an infrastructure resource as declared: a Terraform resource
// block (from *.tf or from the planned values of a plan) or a CloudFormation
// template resource. Only the settings that rules read are kept.
type Resource struct {
	// Source names the format: "terraform", "terraform-plan",
	// "cloudformation".
	Source string
	// Type is the resource type ("aws_instance",
	// "AWS::AutoScaling::AutoScalingGroup").
	Type string
	// Name is the address ("aws_instance.web") or logical ID.
	Name string
	// Role is what the type is, as far as the loader knows it:
	// "instance", "instance-group", "launch-template", "firewall", or
	// empty.
	Role     string
	Location Location

	// Lifecycle holds Terraform's lifecycle block; nil when absent.
	Lifecycle *Lifecycle
	// Provisioners are Terraform provisioner blocks.
	Provisioners []Provisioner
	// CfnInit is set when the resource carries AWS::CloudFormation::Init
	// metadata; its Value lists "cfn-hup" when cfn-hup is configured.
	CfnInit *Setting
	// UserData is the boot script or cloud-init document, decoded.
	UserData *UserData

	// LaunchTemplate is the launch template an instance or group uses.
	LaunchTemplate *LaunchTemplateRef
	// Rollout is how an instance group replaces its instances on change
	// (ASG instance_refresh, CloudFormation UpdatePolicy); nil when none.
	Rollout *Rollout
	// Ingress are the inbound rules of a firewall resource.
	Ingress []IngressRule
	// KeyName is the SSH key pair an instance is started with.
	KeyName *Setting

	Ignores []Ignore
}

// Subject returns the human name of the resource.
func (r *Resource) Subject() string {
	if r.Name == "" {
		return r.Type
	}
	return r.Name
}

// Lifecycle is a Terraform lifecycle block.
type Lifecycle struct {
	// IgnoreChanges lists the ignored attribute paths as written; "all"
	// when every attribute is ignored.
	IgnoreChanges       []Setting
	CreateBeforeDestroy *BoolSetting
	ReplaceTriggeredBy  []Setting
	Location            Location
}

// Provisioner is a Terraform provisioner block.
type Provisioner struct {
	// Type is the provisioner type: "remote-exec", "local-exec", "file",
	// "chef", ...
	Type string
	// Commands are the commands it runs (inline, command, script names).
	Commands []Command
	Location Location
}

// UserData is the boot configuration an instance runs at first start.
type UserData struct {
	// CloudConfig is true for a #cloud-config document.
	CloudConfig bool
	// Modules are the top-level cloud-config keys ("runcmd", "chef",
	// "puppet", "salt_minion", "ansible", ...).
	Modules []string
	// Commands are the shell script, or cloud-config runcmd/bootcmd
	// entries.
	Commands []Command
	Location Location
}

// LaunchTemplateRef is a reference to a launch template and its version.
type LaunchTemplateRef struct {
	// Template names the template (ID, name or reference) as written.
	Template string
	// Version is the version as written: "$Latest", "$Default", "3", a
	// reference such as "aws_launch_template.app.latest_version" or
	// "!GetAtt LT.LatestVersionNumber"; empty when not set (the
	// provider's default, $Default, applies).
	Version  Setting
	Location Location
}

// Rollout is how a group of instances is replaced when its configuration
// changes.
type Rollout struct {
	// Kind is "instance_refresh", "AutoScalingRollingUpdate" or
	// "AutoScalingReplacingUpdate".
	Kind string
	// AutoRollback is the declared automatic rollback setting; nil when
	// not declared.
	AutoRollback *BoolSetting
	Location     Location
}

// IngressRule is one inbound rule of a firewall: a port range, protocol
// and source ranges.
type IngressRule struct {
	// FromPort and ToPort bound the port range; both 0 with All set means
	// every port.
	FromPort, ToPort int
	// All is true when the rule allows every port (protocol -1 or "all",
	// "*" port ranges).
	All bool
	// Protocol as written ("tcp", "6", "-1", "all", "Tcp", "*").
	Protocol string
	// Sources are the source CIDR ranges or tags ("0.0.0.0/0", "::/0",
	// "Internet", "*").
	Sources  []string
	Location Location
}
