package rules

import (
	"path"
	"strconv"
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// Resourcef reports a finding on resource r.
func (p *Pass) Resourcef(r *model.Resource, loc model.Location, format string, args ...any) {
	p.Reportf(r.Subject(), r.Ignores, loc.Or(r.Location), format, args...)
}

// resourceInfof reports a finding on resource r at severity info,
// whatever the rule's default.
func (p *Pass) resourceInfof(r *model.Resource, loc model.Location, format string, args ...any) {
	p.Resourcef(r, loc, format, args...)
	p.findings[len(p.findings)-1].Severity = Info
}

// Changef reports a finding on planned change c.
func (p *Pass) Changef(c *model.PlannedChange, format string, args ...any) {
	p.Reportf(c.Subject(), c.Ignores, c.Location, format, args...)
}

// instanceTypes are the resource types that are compute instances, whose
// in-place update or destroy-before-create breaks immutability. Keys are
// type names of any tool (Terraform, CloudFormation); "*" is a glob.
var instanceTypes = []string{
	"aws_instance",
	"google_compute_instance",
	"azurerm_linux_virtual_machine",
	"azurerm_windows_virtual_machine",
	"azurerm_virtual_machine",
	"azurerm_*_virtual_machine_scale_set",
	"azurerm_virtual_machine_scale_set",
	"digitalocean_droplet",
	"hcloud_server",
	"openstack_compute_instance_v2",
	"vsphere_virtual_machine",
	"AWS::EC2::Instance",
}

// InstanceLike reports whether a resource of type typ, with the given
// planned settings, is a compute instance: a built-in type or one of
// extra. Azure scale sets count only in Manual upgrade mode (the default),
// where a model change never reaches running instances by itself.
func InstanceLike(typ string, settings map[string]string, extra []string) bool {
	for _, list := range [][]string{instanceTypes, extra} {
		for _, pat := range list {
			if ok, _ := path.Match(pat, typ); ok || pat == typ {
				if strings.HasSuffix(typ, "virtual_machine_scale_set") {
					mode := settings["upgrade_mode"]
					return mode == "" || strings.EqualFold(mode, "Manual")
				}
				return true
			}
		}
	}
	return false
}

// changeList formats the changed attributes of c for a message: sensitive
// ones are named but marked, never shown with a value (none is stored).
func changeList(c *model.PlannedChange) string {
	if len(c.Changed) == 0 {
		return "no attribute listed"
	}
	const show = 8
	var parts []string
	for i, a := range c.Changed {
		if i == show {
			parts = append(parts, "and "+strconv.Itoa(len(c.Changed)-show)+" more")
			break
		}
		s := a.Path
		if s == "" {
			s = "(whole object)"
		}
		switch {
		case a.Sensitive:
			s += " (sensitive, redacted)"
		case a.Unknown:
			s += " (known after apply)"
		}
		if a.ForcesReplacement {
			s += " (forces replacement)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}
