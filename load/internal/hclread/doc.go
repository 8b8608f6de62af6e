// Package hclread reads HCL2 configuration (Nomad job specs, Packer
// templates) with github.com/hashicorp/hcl/v2 for the loaders, and evaluates
// attribute values safely.
//
// Evaluation is deliberately limited: literals, templates, tuples, objects,
// conditionals and references to var.* (from variable defaults) and local.*
// are evaluated; function calls, for expressions and splats are not, so a
// hostile file cannot make evaluation expensive. A value that cannot be
// evaluated is returned as its source text and reported as not known, so
// rules see "${...}" and say that it cannot be checked.
package hclread
