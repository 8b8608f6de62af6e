// Package tfres reads the settings immutcheck judges from a Terraform
// resource, whatever form it arrives in: the planned values of a plan JSON
// document or a resource block of a *.tf file.
//
// Both loaders first turn the resource into an Obj, an attribute tree with
// the shape of Terraform's JSON state (nested blocks are lists of objects),
// then Resource reads the tree. Values that are not constant (references,
// function calls) are kept as Ref, the expression as written.
package tfres
