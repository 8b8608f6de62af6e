package tfres

import (
	"strconv"
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// ingress reads the inbound rules of a firewall resource.
func ingress(typ string, o *Obj) []model.IngressRule {
	var out []model.IngressRule
	switch typ {
	case "aws_security_group":
		for _, b := range o.Blocks("ingress") {
			out = append(out, awsRule(b, "protocol", "cidr_blocks", "ipv6_cidr_blocks"))
		}
	case "aws_security_group_rule":
		if t, _ := o.Str("type"); t == "ingress" {
			out = append(out, awsRule(o, "protocol", "cidr_blocks", "ipv6_cidr_blocks"))
		}
	case "aws_vpc_security_group_ingress_rule":
		out = append(out, awsRule(o, "ip_protocol", "cidr_ipv4", "cidr_ipv6"))
	case "google_compute_firewall":
		if d, ok := o.Str("direction"); ok && !strings.EqualFold(d, "INGRESS") {
			return nil
		}
		src := o.Strings("source_ranges")
		for _, b := range o.Blocks("allow") {
			proto, _ := b.Str("protocol")
			ports := b.Strings("ports")
			if len(ports) == 0 {
				out = append(out, model.IngressRule{All: true, Protocol: proto, Sources: src, Location: b.Loc})
			}
			for _, p := range ports {
				r := portRange(p)
				r.Protocol, r.Sources, r.Location = proto, src, b.LocOf("ports")
				out = append(out, r)
			}
		}
	case "azurerm_network_security_group":
		for _, b := range o.Blocks("security_rule") {
			out = append(out, azureRules(b)...)
		}
	case "azurerm_network_security_rule":
		out = append(out, azureRules(o)...)
	case "openstack_networking_secgroup_rule_v2":
		if d, _ := o.Str("direction"); d != "ingress" {
			return nil
		}
		r := model.IngressRule{Location: o.Loc, Sources: o.Strings("remote_ip_prefix")}
		r.Protocol, _ = o.Str("protocol")
		r.FromPort, _ = o.Int("port_range_min")
		r.ToPort, _ = o.Int("port_range_max")
		r.All = r.Protocol == "" || (r.FromPort == 0 && r.ToPort == 0)
		out = append(out, r)
	}
	return out
}

// awsRule reads an AWS security group rule: protocol "-1" means every
// protocol and port.
func awsRule(o *Obj, protoAttr, v4, v6 string) model.IngressRule {
	r := model.IngressRule{Location: o.Loc}
	r.Protocol, _ = o.Str(protoAttr)
	r.FromPort, _ = o.Int("from_port")
	r.ToPort, _ = o.Int("to_port")
	r.All = r.Protocol == "-1" || strings.EqualFold(r.Protocol, "all")
	r.Sources = append(o.Strings(v4), o.Strings(v6)...)
	return r
}

// azureRules reads an Azure security rule: inbound Allow rules only, one
// IngressRule per destination port range.
func azureRules(o *Obj) []model.IngressRule {
	if d, _ := o.Str("direction"); !strings.EqualFold(d, "Inbound") {
		return nil
	}
	if a, _ := o.Str("access"); !strings.EqualFold(a, "Allow") {
		return nil
	}
	proto, _ := o.Str("protocol")
	src := append(o.Strings("source_address_prefix"), o.Strings("source_address_prefixes")...)
	var out []model.IngressRule
	for _, p := range append(o.Strings("destination_port_range"), o.Strings("destination_port_ranges")...) {
		r := portRange(p)
		r.Protocol, r.Sources, r.Location = proto, src, o.Loc
		out = append(out, r)
	}
	return out
}

// portRange parses "22", "20-30" or "*". A range that does not parse (a
// variable) is returned as the empty range -1..-1: its ports are unknown.
func portRange(s string) model.IngressRule {
	s = strings.TrimSpace(s)
	if s == "*" || s == "" {
		return model.IngressRule{All: true}
	}
	lo, hi, found := strings.Cut(s, "-")
	from, err1 := strconv.Atoi(strings.TrimSpace(lo))
	to, err2 := from, error(nil)
	if found {
		to, err2 = strconv.Atoi(strings.TrimSpace(hi))
	}
	if err1 != nil || err2 != nil {
		return model.IngressRule{FromPort: -1, ToPort: -1}
	}
	return model.IngressRule{FromPort: from, ToPort: to}
}
