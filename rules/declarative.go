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
	Rationale:   "Updating a running instance in place (new user data, tags that drive configuration, a resized or reconfigured VM) makes it differ from the image and from freshly created instances; only a replacement keeps every instance a copy of its declaration.",
	Remediation: "Make the change replace the instance (Terraform replace_triggered_by or user_data_replace_on_change, Pulumi replaceOnChanges or deleteBeforeReplace: false) or roll it out through a new image and an instance group refresh.",
	Principle:   principleDeclarative,
	Check: func(p *Pass) {
		for _, c := range p.File.Changes {
			if !c.IsUpdate() || !instanceLike(c.Source, c.Type) {
				continue
			}
			changed := "unknown attributes"
			if len(c.Changed) > 0 {
				changed = strings.Join(c.Changed, ", ")
			}
			p.Reportf(c.Subject(), c.Ignores, c.Location, "%s %s is updated in place (changes: %s); replace it instead", c.Type, c.Address, changed)
		}
	},
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
	Remediation: "Run configuration management only while building the image, then disable or remove the agent (systemctl disable, no cron entry) so instances stay as built.",
	Principle:   principleDeclarative,
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
	},
}

// disabledLater reports whether one of steps disables the agent again.
func disabledLater(steps []model.Command, agent string) bool {
	for _, s := range steps {
		if agentDisabled(s, agent) {
			return true
		}
	}
	return false
}
