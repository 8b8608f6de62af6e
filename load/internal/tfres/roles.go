package tfres

import "strings"

// roles maps resource types to what they are. Only types whose settings
// immutcheck reads are listed.
var roles = map[string]string{
	"aws_instance":                          "instance",
	"aws_spot_instance_request":             "instance",
	"google_compute_instance":               "instance",
	"azurerm_linux_virtual_machine":         "instance",
	"azurerm_windows_virtual_machine":       "instance",
	"azurerm_virtual_machine":               "instance",
	"digitalocean_droplet":                  "instance",
	"hcloud_server":                         "instance",
	"openstack_compute_instance_v2":         "instance",
	"vsphere_virtual_machine":               "instance",
	"aws_autoscaling_group":                 "instance-group",
	"aws_launch_template":                   "launch-template",
	"aws_launch_configuration":              "launch-template",
	"google_compute_instance_template":      "launch-template",
	"aws_security_group":                    "firewall",
	"aws_security_group_rule":               "firewall",
	"aws_vpc_security_group_ingress_rule":   "firewall",
	"google_compute_firewall":               "firewall",
	"azurerm_network_security_group":        "firewall",
	"azurerm_network_security_rule":         "firewall",
	"openstack_networking_secgroup_rule_v2": "firewall",
}

// Role returns the role of a Terraform resource type, or "".
func Role(typ string) string {
	if r, ok := roles[typ]; ok {
		return r
	}
	if strings.HasPrefix(typ, "azurerm_") && strings.HasSuffix(typ, "virtual_machine_scale_set") {
		return "scale-set"
	}
	return ""
}

// userDataAttrs are the attributes that carry boot scripts, in the order
// they are looked at.
var userDataAttrs = []string{"user_data", "user_data_base64", "custom_data", "metadata_startup_script"}

// userDataMetadataKeys are the GCE metadata keys that carry boot scripts.
var userDataMetadataKeys = []string{"startup-script", "user-data"}
