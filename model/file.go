package model

// File is everything loaded from one input: a manifest file, a Dockerfile,
// a compose file, a rendered Helm chart or a Kustomize build.
type File struct {
	// Path is the input as the user named it (relative paths stay
	// relative); "-" is standard input.
	Path string
	// Format is the detected format: "kubernetes", "helm", "kustomize",
	// "dockerfile", "compose".
	Format string

	Workloads []*Workload
	Builds    []*Build
	// Changes are planned infrastructure changes (Terraform/OpenTofu
	// plans, CloudFormation change sets, Pulumi previews).
	Changes []*PlannedChange
	// Reconcilers are GitOps objects (Argo CD, Flux).
	Reconcilers []*Reconciler
	// Problems are what the loader could not read, or read only in part.
	Problems []Problem

	// Resources are declared infrastructure resources (Terraform
	// configuration and planned values, CloudFormation templates).
	Resources []*Resource
}

// ProblemKind tells how bad a load problem is.
type ProblemKind int

const (
	// Rejected means the input, or one object in it, could not be read at
	// all: it was not checked.
	Rejected ProblemKind = iota
	// UnknownField means an object had fields its schema does not know;
	// the object was still checked with the known fields.
	UnknownField
)

// Problem is something a loader could not read, or read only in part.
type Problem struct {
	Kind     ProblemKind
	Location Location
	// Object names the object concerned, e.g. "Deployment/web", if known.
	Object string
	Err    error
}
