package ecs

// taskFields are the members of a task definition in the ECS API
// (RegisterTaskDefinition input and DescribeTaskDefinition output).
var taskFields = set("family", "taskRoleArn", "executionRoleArn", "networkMode",
	"containerDefinitions", "volumes", "placementConstraints", "requiresCompatibilities",
	"cpu", "memory", "tags", "pidMode", "ipcMode", "proxyConfiguration",
	"inferenceAccelerators", "ephemeralStorage", "runtimePlatform", "enableFaultInjection",
	"taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities",
	"registeredAt", "registeredBy", "deregisteredAt")

// containerFields are the members of a container definition in the ECS API.
var containerFields = set("name", "image", "repositoryCredentials", "cpu", "memory",
	"memoryReservation", "links", "portMappings", "essential", "restartPolicy",
	"entryPoint", "command", "environment", "environmentFiles", "mountPoints",
	"volumesFrom", "linuxParameters", "secrets", "dependsOn", "startTimeout",
	"stopTimeout", "versionConsistency", "hostname", "user", "workingDirectory",
	"disableNetworking", "privileged", "readonlyRootFilesystem", "dnsServers",
	"dnsSearchDomains", "extraHosts", "dockerSecurityOptions", "interactive",
	"pseudoTerminal", "dockerLabels", "ulimits", "logConfiguration", "healthCheck",
	"systemControls", "resourceRequirements", "firelensConfiguration", "credentialSpecs")

func set(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}
