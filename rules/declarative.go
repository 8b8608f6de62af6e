package rules

import (
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// RuntimePackageInstall: a container installs software when it starts.
var RuntimePackageInstall = &Rule{
	ID:          "runtime-package-install",
	Group:       Declarative,
	Severity:    High,
	Title:       "Container installs packages at start",
	Rationale:   "Installing packages when the container starts changes the instance after it left the image: every start may get different versions, the image no longer describes what runs, and a registry outage stops the service from starting.",
	Remediation: "Install the packages in the image build (a RUN step) and deploy the new image by digest.",
	Principle:   principleDeclarative,
	Reads:       Declarations,
	Check: func(p *Pass) {
		for _, w := range p.File.Workloads {
			for i := range w.Containers {
				c := &w.Containers[i]
				for _, cmd := range c.Commands {
					for _, in := range installs(cmd) {
						p.Containerf(w, c, cmd.Location, "%s runs %q at container start", cmdContext(cmd), in.line)
					}
				}
			}
		}
		for _, b := range p.File.Builds {
			for _, cmd := range b.Start {
				for _, in := range installs(cmd) {
					p.Buildf(b, cmd.Location, "%s runs %q at container start", cmdContext(cmd), in.line)
				}
			}
		}
	},
}

func cmdContext(c model.Command) string {
	if c.Context == "" {
		return "command"
	}
	return strings.TrimSpace(c.Context)
}

// InplaceUpdatePlanned: a plan modifies a compute instance instead of
// replacing it.
var InplaceUpdatePlanned = &Rule{
	ID:          "inplace-update-planned",
	Group:       Declarative,
	Severity:    High,
	Title:       "Planned in-place update of a compute instance",
	Rationale:   "Updating a running instance in place (new user data, tags that drive configuration, a resized or reconfigured VM) makes it differ from the image and from freshly created instances, and leaves no untouched previous instance to return to; only a replacement keeps every instance a copy of its declaration.",
	Remediation: "Make the change replace the instance (Terraform replace_triggered_by or user_data_replace_on_change, a CloudFormation property that requires replacement, Pulumi replaceOnChanges or deleteBeforeReplace: false) or roll it out through a new image and an instance group refresh.",
	Principle:   principleDeclarative,
	Reads:       Declarations,
	Check: func(p *Pass) {
		for _, c := range p.File.Changes {
			if !c.IsUpdate() || !instanceLikeChange(c, p.Options.InstanceTypes) {
				continue
			}
			if c.Replacement != "" && c.Replacement != "False" {
				continue // CloudFormation: replacement True or Conditional
			}
			if onlyMetadata(c.Changed) {
				continue // tags and labels do not change what runs
			}
			p.Reportf(c.Subject(), c.Ignores, c.Location, "%s %s is updated in place (changes: %s); %s", c.Type, c.Address, changeList(c), replacementHint(c))
		}
	},
}

// metadataAttributes change only how a resource is labelled, not what it
// runs; an update of nothing else is not reported.
var metadataAttributes = map[string]bool{"tags": true, "tags_all": true, "labels": true, "Tags": true}

// onlyMetadata reports whether every changed path lies below a metadata
// attribute. An empty list (changes not known) is not.
func onlyMetadata(paths []string) bool {
	for _, p := range paths {
		first := p
		if i := strings.IndexAny(p, ".["); i >= 0 {
			first = p[:i]
		}
		if !metadataAttributes[first] {
			return false
		}
	}
	return len(paths) > 0
}

// replacementHint tells how the change could become a replacement.
func replacementHint(c *model.PlannedChange) string {
	switch {
	case c.Source == "pulumi":
		return "set replaceOnChanges on the changed properties so that the change replaces the instance"
	case c.Source == "cloudformation":
		return "change a property whose update requires replacement, or deploy instances through an Auto Scaling group with an UpdatePolicy"
	case c.Type == "aws_instance":
		return "set user_data_replace_on_change = true or add lifecycle { replace_triggered_by = [...] } so that the change replaces the instance"
	default:
		return "add lifecycle { replace_triggered_by = [...] } (or taint the resource with -replace) so that the change replaces the instance"
	}
}

// NoContinuousReconciliation: a GitOps object does not keep the cluster
// equal to its source.
var NoContinuousReconciliation = &Rule{
	ID:          "no-continuous-reconciliation",
	Group:       Declarative,
	Severity:    Medium,
	Title:       "GitOps object does not reconcile drift continuously",
	Rationale:   "GitOps enforces declared state only when the controller keeps reverting manual changes: without Argo CD self-heal, with a suspended Flux object or with Helm drift detection off, a kubectl edit survives until the next commit and the cluster silently differs from Git.",
	Remediation: "Set syncPolicy.automated.selfHeal: true (Argo CD), remove suspend: true (Flux) and set spec.driftDetection.mode: enabled on HelmReleases.",
	Principle:   principleDeclarative,
	Reads:       Declarations,
	Check: func(p *Pass) {
		for _, r := range p.File.Reconcilers {
			report := func(loc model.Location, format string, args ...any) {
				p.Reportf(r.Subject(), r.Ignores, loc.Or(r.Location), format, args...)
			}
			switch r.Source {
			case "argocd":
				switch {
				case r.AutoSync == nil:
					report(r.Location, "syncPolicy.automated is not set: changes are synced by hand and drift is not reverted")
				case !r.AutoSync.Value:
					report(r.AutoSync.Location, "syncPolicy.automated is disabled: drift is not reverted")
				case r.SelfHeal == nil:
					report(r.AutoSync.Location, "syncPolicy.automated.selfHeal is not set: manual changes in the cluster are not reverted")
				case !r.SelfHeal.Value:
					report(r.SelfHeal.Location, "syncPolicy.automated.selfHeal is false: manual changes in the cluster are not reverted")
				}
			case "flux":
				if r.Suspended != nil && r.Suspended.Value {
					report(r.Suspended.Location, "suspend is true: the controller no longer reconciles this object")
				}
				if r.Kind != "HelmRelease" {
					continue
				}
				switch d := r.DriftDetection; {
				case d == nil:
					report(r.Location, "spec.driftDetection is not set (default disabled): changes to the release's objects in the cluster are not corrected")
				case d.Value != "enabled":
					report(d.Location, "spec.driftDetection.mode is %q: changes to the release's objects in the cluster are not corrected", d.Value)
				}
			}
		}
	},
}

// ConfigManagementAgent: an instance runs a configuration-management agent
// that changes it after boot.
var ConfigManagementAgent = &Rule{
	ID:          "config-management-agent",
	Group:       Declarative,
	Severity:    High,
	Title:       "Configuration-management agent left running on instances",
	Rationale:   "A Chef, Puppet or Salt agent or a scheduled ansible-pull keeps changing the instance after it booted, so instances of one image drift apart and differ from the image that was tested; configuration management belongs in the image build.",
	Remediation: "Run configuration management only while building the image, then disable or remove the agent (systemctl disable, no cron entry, no agent in user data or cloud-init) so instances stay as built.",
	Principle:   principleDeclarative,
	Reads:       Declarations,
	Check: func(p *Pass) {
		for _, b := range p.File.Builds {
			for i, step := range b.Steps {
				for _, a := range agentActivations(step) {
					if !disabledLater(b.Steps[i:], a.agent) {
						p.Buildf(b, step.Location, "%s agent stays active on instances: %s", a.agent, a.what)
					}
				}
			}
		}
		for _, r := range p.File.Resources {
			u := r.UserData
			if u == nil {
				continue
			}
			for _, m := range u.Modules {
				if agentModules[m] {
					p.Resourcef(r, u.Location, "cloud-config module %q installs and starts a configuration-management agent", m)
				}
			}
			for i, cmd := range u.Commands {
				for _, a := range agentActivations(cmd) {
					if !disabledLater(u.Commands[i:], a.agent) {
						p.Resourcef(r, cmd.Location, "%s agent is started by user data: %s", a.agent, a.what)
					}
				}
			}
		}
	},
}

// agentModules are cloud-init modules that install and start an agent.
var agentModules = map[string]bool{"chef": true, "puppet": true, "salt_minion": true, "ansible": true}

// disabledLater reports whether one of steps disables the agent again.
func disabledLater(steps []model.Command, agent string) bool {
	for _, s := range steps {
		if agentDisabled(s, agent) {
			return true
		}
	}
	return false
}

// imperativeProvisioners are Terraform provisioners that change a live host.
var imperativeProvisioners = map[string]bool{"remote-exec": true, "file": true, "chef": true, "puppet": true, "salt-masterless": true, "habitat": true}

// remoteCommands are programs through which local-exec reaches a live host.
var remoteCommands = map[string]bool{"ssh": true, "scp": true, "sftp": true, "rsync": true, "sshpass": true, "ansible": true, "ansible-playbook": true, "pssh": true, "pdsh": true, "knife": true, "fab": true}

// ImperativeProvisioner: configuration pushed onto a running host.
var ImperativeProvisioner = &Rule{
	ID:          "imperative-provisioner",
	Group:       Declarative,
	Severity:    High,
	Title:       "Provisioner configures a running host",
	Rationale:   "remote-exec, file, chef, puppet, salt-masterless and habitat provisioners (and local-exec running ssh or ansible) change an instance after it was created from its image: the result depends on what happened at apply time, is not in the image, and cannot be reproduced by replacing the instance. cfn-hup does the same on every CloudFormation metadata change.",
	Remediation: "Bake the configuration into the image (Packer, a Dockerfile) and pass only instance-specific data through user data; replace instances to change them.",
	Principle:   principleDeclarative,
	Reads:       Declarations,
	Check: func(p *Pass) {
		for _, r := range p.File.Resources {
			for _, pr := range r.Provisioners {
				if imperativeProvisioners[pr.Type] {
					p.Resourcef(r, pr.Location, "%s provisioner changes the instance after it is created", pr.Type)
					continue
				}
				if pr.Type != "local-exec" {
					continue
				}
				for _, cmd := range pr.Commands {
					for _, cl := range calls(cmd) {
						if remoteCommands[cl.prog] {
							p.Resourcef(r, cmd.Location, "local-exec provisioner runs %s against a live host", cl.prog)
						}
					}
				}
			}
			if r.CfnInit != nil && strings.Contains(r.CfnInit.Value, "cfn-hup") {
				p.Resourcef(r, r.CfnInit.Location, "AWS::CloudFormation::Init with cfn-hup reconfigures running instances in place when the metadata changes")
			}
		}
	},
}

// imageAttributes are attribute names that carry what an instance runs:
// ignoring changes to them hides a new image or boot script.
var imageAttributes = map[string]bool{
	"ami": true, "image": true, "image_id": true, "source_image": true, "source_image_id": true,
	"user_data": true, "user_data_base64": true, "custom_data": true, "metadata_startup_script": true,
	"launch_template": true, "launch_configuration": true, "container_definitions": true,
	"task_definition": true, "image_uri": true, "boot_disk": true,
}

// IgnoreChangesHidesDrift: lifecycle.ignore_changes covers the image.
var IgnoreChangesHidesDrift = &Rule{
	ID:          "ignore-changes-hides-drift",
	Group:       Declarative,
	Severity:    High,
	Title:       "ignore_changes hides image or boot configuration changes",
	Rationale:   "lifecycle.ignore_changes on the image, user data, launch template or container definitions tells Terraform to keep running instances as they are when the declared image changes, and to accept changes made outside Terraform: the declaration no longer describes what runs.",
	Remediation: "Remove the image, user data and launch template attributes (and all) from ignore_changes; roll out new images by replacement instead.",
	Principle:   principleDeclarative,
	Reads:       Declarations,
	Check: func(p *Pass) {
		for _, r := range p.File.Resources {
			if r.Lifecycle == nil {
				continue
			}
			for _, s := range r.Lifecycle.IgnoreChanges {
				v := strings.Trim(strings.TrimSpace(s.Value), `"`)
				if v == "all" {
					p.Resourcef(r, s.Location, "ignore_changes = all: changes to the image and every other attribute are ignored")
					continue
				}
				for _, seg := range strings.FieldsFunc(v, func(r rune) bool { return r == '.' || r == '[' || r == ']' || r == '"' }) {
					if imageAttributes[seg] {
						p.Resourcef(r, s.Location, "ignore_changes covers %s: a new image or boot configuration never reaches the running resource", v)
						break
					}
				}
			}
		}
	},
}

// MutableLaunchTemplate: instances follow a launch template that can change
// under them, or a group never replaces its instances.
var MutableLaunchTemplate = &Rule{
	ID:          "mutable-launch-template",
	Group:       Declarative,
	Severity:    High,
	Title:       "Launch template version is not pinned or changes are not rolled out",
	Rationale:   "$Latest or $Default makes the launch template a movable pointer: instances started tomorrow may differ from today's without any change to the declaration, and running instances keep the old version. An Auto Scaling group without instance_refresh or UpdatePolicy applies a new template only to instances started later, so the fleet is mixed until someone replaces instances by hand.",
	Remediation: "Reference a fixed version (aws_launch_template.x.latest_version, !GetAtt LT.LatestVersionNumber) and give the group an instance_refresh block or an UpdatePolicy so that a new version replaces instances.",
	Principle:   principleDeclarative,
	Reads:       Declarations,
	Check: func(p *Pass) {
		for _, r := range p.File.Resources {
			if lt := r.LaunchTemplate; lt != nil && (r.Role == "instance" || r.Role == "instance-group") {
				switch v := lt.Version.Value; {
				case v == "$Latest" || v == "$Default":
					p.Resourcef(r, lt.Version.Location.Or(lt.Location), "launch template version %s is a movable pointer", v)
				case v == "" && r.Source != "cloudformation":
					p.Resourcef(r, lt.Location, "launch template has no version, so $Default is used: a movable pointer")
				}
			}
			if r.Role == "instance-group" && r.Rollout == nil {
				what := "instance_refresh block"
				if r.Source == "cloudformation" {
					what = "UpdatePolicy (AutoScalingRollingUpdate or AutoScalingReplacingUpdate)"
				}
				p.Resourcef(r, r.Location, "Auto Scaling group has no %s: a new launch template reaches only instances started later", what)
			}
		}
	},
}
