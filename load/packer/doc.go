// Package packer loads Packer templates: HCL2 (*.pkr.hcl, parsed with
// github.com/hashicorp/hcl/v2) and legacy JSON templates ("builders" and
// "provisioners").
//
// Each source (HCL2) or builder (JSON) becomes a model.Build with
// Source "packer": the machine image it starts from (a fixed ID, or a
// filter or family resolved at build time), the base image of docker
// builders, and the inline commands of the provisioners that run on it.
// Scripts named by path are not read; shell-local provisioners run on the
// build host and are left out.
package packer
