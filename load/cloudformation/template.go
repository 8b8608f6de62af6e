package cloudformation

import (
	"errors"
	"strings"

	"github.com/immutcheck/immutcheck/load/internal/tfres"
	"github.com/immutcheck/immutcheck/load/internal/userdata"
	"github.com/immutcheck/immutcheck/model"
	yaml "go.yaml.in/yaml/v3"
)

// roles maps the resource types whose settings are read to what they are.
var roles = map[string]string{
	"AWS::EC2::Instance":                    "instance",
	"AWS::AutoScaling::AutoScalingGroup":    "instance-group",
	"AWS::EC2::LaunchTemplate":              "launch-template",
	"AWS::AutoScaling::LaunchConfiguration": "launch-template",
	"AWS::EC2::SecurityGroup":               "firewall",
	"AWS::EC2::SecurityGroupIngress":        "firewall",
}

// template reads the Resources of a template.
func template(f *model.File, t *tree, root *yaml.Node, data []byte) error {
	res := get(root, "Resources")
	if res == nil {
		if get(root, "AWSTemplateFormatVersion") == nil {
			return errors.New("read cloudformation: no Resources and no AWSTemplateFormatVersion: not a template")
		}
		return nil
	}
	if res.Kind != yaml.MappingNode {
		return errors.New("read cloudformation: Resources is not a mapping")
	}
	for i := 0; i+1 < len(res.Content); i += 2 {
		key, node := res.Content[i], res.Content[i+1]
		if err := checkResource(key, node); err != nil {
			return err
		}
		v, err := t.value(node, 0)
		if err != nil {
			return err
		}
		o, ok := v.(*tfres.Obj)
		if !ok {
			continue
		}
		o.Loc = t.loc(key)
		typ, _ := o.Str("Type")
		if r := resource(typ, key.Value, o); r != nil {
			f.Resources = append(f.Resources, r)
		}
		ecsWorkload(f, typ, key.Value, o)
	}
	attachIgnores(f, t.path, data, res)
	return nil
}

// resource reads one template resource; types without settings of
// interest give a bare Resource so that suppressions can still attach.
func resource(typ, name string, o *tfres.Obj) *model.Resource {
	r := &model.Resource{Source: Format, Type: typ, Name: name, Role: roles[typ], Location: o.Loc}
	props := o.Block("Properties")
	if props == nil {
		props = &tfres.Obj{Loc: o.Loc}
	}
	data := props
	if typ == "AWS::EC2::LaunchTemplate" {
		if d := props.Block("LaunchTemplateData"); d != nil {
			data = d
		}
	}
	if s, ok := data.Str("UserData"); ok && s != "" {
		r.UserData = userdata.Parse(s, data.LocOf("UserData"))
	}
	r.CfnInit = cfnInit(o)
	switch r.Role {
	case "instance", "launch-template":
		r.KeyName = data.Setting("KeyName")
		r.LaunchTemplate = launchTemplate(props.Block("LaunchTemplate"))
	case "instance-group":
		r.LaunchTemplate = launchTemplate(props.Block("LaunchTemplate"))
		if m := props.Block("MixedInstancesPolicy"); r.LaunchTemplate == nil && m != nil {
			if lt := m.Block("LaunchTemplate"); lt != nil {
				r.LaunchTemplate = launchTemplate(lt.Block("LaunchTemplateSpecification"))
			}
		}
		if up := o.Block("UpdatePolicy"); up != nil {
			for _, kind := range []string{"AutoScalingReplacingUpdate", "AutoScalingRollingUpdate"} {
				if up.Has(kind) {
					r.Rollout = &model.Rollout{Kind: kind, Location: up.LocOf(kind)}
				}
			}
		}
	case "firewall":
		if typ == "AWS::EC2::SecurityGroupIngress" {
			r.Ingress = append(r.Ingress, ingressRule(props))
		}
		for _, b := range props.Blocks("SecurityGroupIngress") {
			r.Ingress = append(r.Ingress, ingressRule(b))
		}
	}
	return r
}

func launchTemplate(o *tfres.Obj) *model.LaunchTemplateRef {
	if o == nil {
		return nil
	}
	lt := &model.LaunchTemplateRef{Location: o.Loc}
	if s, ok := o.Str("LaunchTemplateId"); ok {
		lt.Template = s
	} else if s, ok := o.Str("LaunchTemplateName"); ok {
		lt.Template = s
	}
	if v := o.Setting("Version"); v != nil {
		lt.Version = *v
	}
	return lt
}

func ingressRule(o *tfres.Obj) model.IngressRule {
	r := model.IngressRule{Location: o.Loc}
	r.Protocol, _ = o.Str("IpProtocol")
	r.FromPort, _ = o.Int("FromPort")
	r.ToPort, _ = o.Int("ToPort")
	r.All = r.Protocol == "-1"
	r.Sources = append(o.Strings("CidrIp"), o.Strings("CidrIpv6")...)
	return r
}

// cfnInit reports AWS::CloudFormation::Init metadata, noting whether
// cfn-hup (which re-applies it to running instances) is configured there
// or in the user data.
func cfnInit(o *tfres.Obj) *model.Setting {
	md := o.Block("Metadata")
	if md == nil || !md.Has("AWS::CloudFormation::Init") {
		return nil
	}
	s := &model.Setting{Value: "AWS::CloudFormation::Init", Location: md.LocOf("AWS::CloudFormation::Init")}
	if mentions(md.Attrs["AWS::CloudFormation::Init"], "cfn-hup", 0) || mentions(o.Attrs["Properties"], "cfn-hup", 0) {
		s.Value += " with cfn-hup"
	}
	return s
}

// mentions reports whether any string or key in the tree contains word.
func mentions(v any, word string, depth int) bool {
	if depth > 100 {
		return false
	}
	switch v := v.(type) {
	case string:
		return strings.Contains(v, word)
	case tfres.Ref:
		return strings.Contains(string(v), word)
	case []any:
		for _, e := range v {
			if mentions(e, word, depth+1) {
				return true
			}
		}
	case *tfres.Obj:
		for k, e := range v.Attrs {
			if strings.Contains(k, word) || mentions(e, word, depth+1) {
				return true
			}
		}
	}
	return false
}
