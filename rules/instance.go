package rules

import "strings"

// instanceTypes are the resource types, per tool, that are compute
// instances: an in-place update of one modifies a running machine.
var instanceTypes = map[string][]string{
	"terraform": {
		"aws_instance", "google_compute_instance", "azurerm_linux_virtual_machine",
		"azurerm_windows_virtual_machine", "azurerm_virtual_machine",
		"azurerm_linux_virtual_machine_scale_set", "azurerm_windows_virtual_machine_scale_set",
		"azurerm_virtual_machine_scale_set", "azurerm_orchestrated_virtual_machine_scale_set",
		"digitalocean_droplet", "hcloud_server", "openstack_compute_instance_v2",
		"vsphere_virtual_machine",
	},
	"cloudformation": {"AWS::EC2::Instance"},
	"pulumi": {
		"aws:ec2/instance:Instance", "gcp:compute/instance:Instance",
		"azure:compute/linuxVirtualMachine:LinuxVirtualMachine",
		"azure:compute/windowsVirtualMachine:WindowsVirtualMachine",
		"azure:compute/virtualMachine:VirtualMachine",
		"azure-native:compute:VirtualMachine",
		"digitalocean:index/droplet:Droplet", "hcloud:index/server:Server",
		"openstack:compute/instance:Instance", "vsphere:index/virtualMachine:VirtualMachine",
	},
}

// instanceLike reports whether typ, a resource type of tool source, is a
// compute instance. Pulumi's versioned Azure Native types
// ("azure-native:compute/v20230301:VirtualMachine") count as their
// unversioned type.
func instanceLike(source, typ string) bool {
	if source == "pulumi" && strings.HasPrefix(typ, "azure-native:compute/") && strings.HasSuffix(typ, ":VirtualMachine") {
		return true
	}
	for _, t := range instanceTypes[source] {
		if t == typ {
			return true
		}
	}
	return false
}
