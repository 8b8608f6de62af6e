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

	// Instances are running things a live source observed (pods,
	// containers, hosts, nodes).
	Instances []*Instance
	// Images are what registries said about declared images.
	Images []*ImageCheck
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
	// ClusterUnread means part of a cluster (a collection, or the template
	// a pod should be compared with) could not be read: it was not checked.
	ClusterUnread
	// TreeUnread means part of an instance's tree or processes could not
	// be compared with its image or baseline: it was not checked.
	TreeUnread
	// ImageUnread means an image could not be checked against its
	// registry: unreachable, refused, or serving a rejected document.
	ImageUnread
)

// Problem is something a loader could not read, or read only in part.
type Problem struct {
	Kind     ProblemKind
	Location Location
	// Object names the object concerned, e.g. "Deployment/web", if known.
	Object string
	// Ref is the Kubernetes object concerned, for outputs that address
	// objects (PolicyReport), if known.
	Ref *ObjectRef
	Err error
}
