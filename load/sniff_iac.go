package load

import "bytes"

// sniffIaC recognises infrastructure-as-code documents, which are looked
// for before Kubernetes manifests because their values may contain "kind"
// keys:
//
//   - a Terraform/OpenTofu plan (JSON) has "format_version" and
//     "resource_changes" or "planned_values";
//   - a CloudFormation change set (JSON) has "Changes" and "ChangeSetId" or
//     "ChangeSetName";
//   - a CloudFormation template (JSON or YAML) has AWSTemplateFormatVersion,
//     or Resources with a Type of AWS::....
func sniffIaC(data []byte) Kind {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		has := func(s string) bool { return bytes.Contains(data, []byte(s)) }
		switch {
		case has(`"format_version"`) && (has(`"resource_changes"`) || has(`"planned_values"`)):
			return TerraformPlan
		case has(`"Changes"`) && (has(`"ChangeSetId"`) || has(`"ChangeSetName"`)):
			return CloudFormation
		case has(`"AWSTemplateFormatVersion"`) || (has(`"Resources"`) && awsType(data)):
			return CloudFormation
		}
		return Unknown
	}
	var resources bool
	for _, line := range bytes.Split(data, []byte("\n")) {
		switch {
		case bytes.HasPrefix(line, []byte("AWSTemplateFormatVersion:")):
			return CloudFormation
		case bytes.HasPrefix(line, []byte("Resources:")):
			resources = true
		}
	}
	if resources && awsType(data) {
		return CloudFormation
	}
	return Unknown
}

// awsType reports whether a resource Type of AWS::... appears.
func awsType(data []byte) bool {
	for _, p := range []string{`"Type": "AWS::`, `"Type":"AWS::`, `Type: AWS::`, `Type: "AWS::`, `Type: 'AWS::`} {
		if bytes.Contains(data, []byte(p)) {
			return true
		}
	}
	return false
}
