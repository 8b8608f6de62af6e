// Package terraform loads Terraform and OpenTofu plan JSON documents (the
// output of `terraform show -json plan.out`), decoded with
// github.com/hashicorp/terraform-json.
//
// The document is streamed: resource_changes are decoded one at a time
// with UseNumber, turned into model.PlannedChange and model.Resource
// values, and dropped, so only the input bytes are held. Attribute values
// are compared (numbers exactly, beyond 2^53 too) but never kept: a change
// lists the paths that change, and sensitive parts of the planned values
// are removed before any setting is read.
//
// The plan formats 0.x and 1.x are read, which is what terraform-json
// supports; any other major version is rejected, as are trailing data after
// the document and nesting deeper than 10,000 levels.
package terraform
