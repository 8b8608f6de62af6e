package tfres

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/model"
)

func TestIngress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ, attrs string
		want       []model.IngressRule
	}{
		{"aws_security_group_rule", `{"type":"egress","from_port":22,"to_port":22,"protocol":"tcp","cidr_blocks":["0.0.0.0/0"]}`, nil},
		{"aws_vpc_security_group_ingress_rule", `{"from_port":22,"to_port":22,"ip_protocol":"tcp","cidr_ipv6":"::/0"}`,
			[]model.IngressRule{{FromPort: 22, ToPort: 22, Protocol: "tcp", Sources: []string{"::/0"}}}},
		{"google_compute_firewall", `{"direction":"EGRESS","allow":[{"protocol":"tcp"}]}`, nil},
		{"google_compute_firewall", `{"source_ranges":["0.0.0.0/0"],"allow":[{"protocol":"all"}]}`,
			[]model.IngressRule{{All: true, Protocol: "all", Sources: []string{"0.0.0.0/0"}}}},
		{"azurerm_network_security_rule", `{"direction":"Inbound","access":"Allow","protocol":"Tcp","destination_port_range":"*","source_address_prefix":"Internet"}`,
			[]model.IngressRule{{All: true, Protocol: "Tcp", Sources: []string{"Internet"}}}},
		{"azurerm_network_security_group", `{"security_rule":[{"direction":"Inbound","access":"Deny","destination_port_range":"22"},{"direction":"Inbound","access":"Allow","protocol":"*","destination_port_ranges":["21-23","x"],"source_address_prefixes":["*"]}]}`,
			[]model.IngressRule{{FromPort: 21, ToPort: 23, Protocol: "*", Sources: []string{"*"}}, {FromPort: -1, ToPort: -1, Protocol: "*", Sources: []string{"*"}}}},
		{"openstack_networking_secgroup_rule_v2", `{"direction":"ingress","protocol":"tcp","port_range_min":22,"port_range_max":22,"remote_ip_prefix":"0.0.0.0/0"}`,
			[]model.IngressRule{{FromPort: 22, ToPort: 22, Protocol: "tcp", Sources: []string{"0.0.0.0/0"}}}},
	}
	for _, tt := range tests {
		var v any
		dec := json.NewDecoder(strings.NewReader(tt.attrs))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		r := Resource("terraform", tt.typ, "x", FromJSON(v, nil, model.Location{}).(*Obj))
		if diff := cmp.Diff(tt.want, r.Ingress); diff != "" {
			t.Errorf("%s %s (-want +got):\n%s", tt.typ, tt.attrs, diff)
		}
	}
}
