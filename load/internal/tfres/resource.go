package tfres

import (
	"github.com/immutcheck/immutcheck/load/internal/userdata"
	"github.com/immutcheck/immutcheck/model"
)

// Resource reads the settings of a Terraform resource of type typ named
// name from its attribute tree.
func Resource(source, typ, name string, o *Obj) *model.Resource {
	r := &model.Resource{Source: source, Type: typ, Name: name, Role: Role(typ), Location: o.Loc}
	r.Lifecycle = lifecycle(o.Block("lifecycle"))
	r.Provisioners = provisioners(o.Blocks("provisioner"))
	r.UserData = userData(o)
	switch r.Role {
	case "instance", "launch-template":
		r.LaunchTemplate = launchTemplate(o.Block("launch_template"), "id", "name")
		r.KeyName = o.Setting("key_name")
	case "instance-group":
		r.LaunchTemplate = launchTemplate(o.Block("launch_template"), "id", "name")
		if r.LaunchTemplate == nil {
			if m := o.Block("mixed_instances_policy"); m != nil {
				if lt := m.Block("launch_template"); lt != nil {
					r.LaunchTemplate = launchTemplate(lt.Block("launch_template_specification"), "launch_template_id", "launch_template_name")
				}
			}
		}
		r.Rollout = instanceRefresh(o.Block("instance_refresh"))
	case "firewall":
		r.Ingress = ingress(typ, o)
	}
	return r
}

func lifecycle(o *Obj) *model.Lifecycle {
	if o == nil {
		return nil
	}
	l := &model.Lifecycle{Location: o.Loc}
	for _, s := range o.Strings("ignore_changes") {
		l.IgnoreChanges = append(l.IgnoreChanges, model.Setting{Value: s, Location: o.LocOf("ignore_changes")})
	}
	if b, ok := o.Bool("create_before_destroy"); ok {
		l.CreateBeforeDestroy = &model.BoolSetting{Value: b, Location: o.LocOf("create_before_destroy")}
	}
	for _, s := range o.Strings("replace_triggered_by") {
		l.ReplaceTriggeredBy = append(l.ReplaceTriggeredBy, model.Setting{Value: s, Location: o.LocOf("replace_triggered_by")})
	}
	return l
}

func provisioners(bs []*Obj) []model.Provisioner {
	var out []model.Provisioner
	for _, b := range bs {
		p := model.Provisioner{Location: b.Loc}
		if len(b.Labels) > 0 {
			p.Type = b.Labels[0]
		}
		for _, s := range b.Strings("inline") {
			p.Commands = append(p.Commands, model.Command{Shell: s, Context: "inline", Location: b.LocOf("inline")})
		}
		if s, ok := b.Str("command"); ok {
			p.Commands = append(p.Commands, model.Command{Shell: s, Context: "command", Location: b.LocOf("command")})
		}
		for _, attr := range []string{"script", "scripts"} {
			for _, s := range b.Strings(attr) {
				p.Commands = append(p.Commands, model.Command{Args: []string{s}, Context: attr, Location: b.LocOf(attr)})
			}
		}
		out = append(out, p)
	}
	return out
}

// userData decodes the first boot script found on the resource.
func userData(o *Obj) *model.UserData {
	for _, a := range userDataAttrs {
		if s, ok := o.Attrs[a].(string); ok && s != "" {
			return userdata.Parse(s, o.LocOf(a))
		}
	}
	if md := o.Block("metadata"); md != nil {
		for _, k := range userDataMetadataKeys {
			if s, ok := md.Attrs[k].(string); ok && s != "" {
				return userdata.Parse(s, md.LocOf(k).Or(o.LocOf("metadata")))
			}
		}
	}
	return nil
}

func launchTemplate(o *Obj, idAttr, nameAttr string) *model.LaunchTemplateRef {
	if o == nil {
		return nil
	}
	lt := &model.LaunchTemplateRef{Location: o.Loc}
	if s, ok := o.Str(idAttr); ok {
		lt.Template = s
	} else if s, ok := o.Str(nameAttr); ok {
		lt.Template = s
	}
	if v := o.Setting("version"); v != nil {
		lt.Version = *v
	}
	return lt
}

// instanceRefresh reads an aws_autoscaling_group instance_refresh block.
func instanceRefresh(o *Obj) *model.Rollout {
	if o == nil {
		return nil
	}
	ro := &model.Rollout{Kind: "instance_refresh", Location: o.Loc}
	if p := o.Block("preferences"); p != nil {
		if b, ok := p.Bool("auto_rollback"); ok {
			ro.AutoRollback = &model.BoolSetting{Value: b, Location: p.LocOf("auto_rollback")}
		}
	}
	return ro
}
