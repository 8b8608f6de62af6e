package rules

import (
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

// instanceLikeChange reports whether planned change c concerns a compute
// instance: a built-in type of its tool (instanceLike) or one of the
// configured extra types. Azure scale sets count only in Manual upgrade
// mode (the default), where a model change never reaches running instances
// by itself.
func instanceLikeChange(c *model.PlannedChange, extra []string) bool {
	if strings.HasSuffix(c.Type, "virtual_machine_scale_set") {
		if mode := c.Settings["upgrade_mode"]; mode != "" && !strings.EqualFold(mode, "Manual") {
			return false
		}
	}
	if instanceLike(c.Source, c.Type) {
		return true
	}
	for _, t := range extra {
		if t == c.Type {
			return true
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
	for i, path := range c.Changed {
		if i == show {
			parts = append(parts, "and "+strconv.Itoa(len(c.Changed)-show)+" more")
			break
		}
		s := path
		if s == "" {
			s = "(whole object)"
		}
		switch {
		case contains(c.Sensitive, path):
			s += " (sensitive, redacted)"
		case contains(c.Unknown, path):
			s += " (known after apply)"
		}
		if forcesReplacement(c, path) {
			s += " (forces replacement)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// forcesReplacement reports whether path is, or lies below, one of the
// change's replace reasons.
func forcesReplacement(c *model.PlannedChange, path string) bool {
	for _, r := range c.ReplaceReasons {
		if r == path || strings.HasPrefix(path, r+".") || strings.HasPrefix(path, r+"[") {
			return true
		}
	}
	return false
}
