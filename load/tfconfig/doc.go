// Package tfconfig loads Terraform and OpenTofu configuration files (*.tf)
// with HashiCorp's HCL parser (github.com/hashicorp/hcl/v2/hclsyntax).
//
// Each resource block becomes a model.Resource with the settings a plan
// does not show: lifecycle blocks (ignore_changes, create_before_destroy,
// replace_triggered_by) and provisioners, plus launch template versions,
// Auto Scaling instance_refresh, security group rules, key pairs and user
// data. Expressions are not evaluated against variables: constants are read
// as values, anything else is kept as written (tfres.Ref).
//
// "# immutcheck:ignore <rule>[,<rule>] <reason>" comments suppress findings:
// above a resource block for the whole resource, above or at the end of a
// line for that line.
package tfconfig
