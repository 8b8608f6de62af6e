package terraform

import (
	"sort"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/immutcheck/immutcheck/model"
)

// maxModuleDepth bounds how deep module_calls are followed.
const maxModuleDepth = 100

// configResources adds a Resource for every resource of the configuration
// (and its module calls) that declares provisioners; the configuration is
// the only part of a plan that shows them. Only constant expressions are
// read.
func configResources(f *model.File, m *tfjson.ConfigModule, prefix string, loc model.Location, depth int) {
	if m == nil || depth > maxModuleDepth {
		return
	}
	for _, cr := range m.Resources {
		if cr == nil || len(cr.Provisioners) == 0 {
			continue
		}
		r := &model.Resource{Source: Format, Type: cr.Type, Name: prefix + cr.Address, Location: loc}
		for _, p := range cr.Provisioners {
			if p == nil {
				continue
			}
			r.Provisioners = append(r.Provisioners, provisioner(p, loc))
		}
		f.Resources = append(f.Resources, r)
	}
	names := make([]string, 0, len(m.ModuleCalls))
	for n := range m.ModuleCalls {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if mc := m.ModuleCalls[n]; mc != nil {
			configResources(f, mc.Module, prefix+"module."+n+".", loc, depth+1)
		}
	}
}

func provisioner(p *tfjson.ConfigProvisioner, loc model.Location) model.Provisioner {
	out := model.Provisioner{Type: p.Type, Location: loc}
	for _, attr := range []string{"inline", "command", "script", "scripts"} {
		for _, s := range constantStrings(p.Expressions[attr]) {
			c := model.Command{Shell: s, Context: attr, Location: loc}
			if attr == "script" || attr == "scripts" {
				c = model.Command{Args: []string{s}, Context: attr, Location: loc}
			}
			out.Commands = append(out.Commands, c)
		}
	}
	return out
}

// constantStrings returns a constant string, or the strings of a constant
// list.
func constantStrings(e *tfjson.Expression) []string {
	if e == nil || e.ExpressionData == nil {
		return nil
	}
	switch v := e.ConstantValue.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
