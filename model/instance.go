package model

import "time"

// Instance is a running thing: a Kubernetes pod, a Docker or containerd
// container, a host or a node. Live sources (live/cluster, live/docker,
// drift) observe it and fill in what they saw; the rules decide what is
// wrong with it. A field a source could not observe stays empty; what it
// tried and could not read is a Problem of the File, never an empty field
// taken as clean.
type Instance struct {
	// Kind is "Pod", "Container", "Host" or "Node".
	Kind string
	// Subject names the instance in reports, e.g. "Pod/shop/web-1",
	// "container web", "host /".
	Subject string
	// Object is the Kubernetes object, when the instance is one.
	Object *ObjectRef
	// Location is where findings about the instance point.
	Location Location
	// Ignores are the instance's suppressions (immutcheck.dev/ignore).
	Ignores []Ignore

	// Node is the node or host the instance runs on, when known.
	Node string
	// Owner is the controller that replaces the instance (a ReplicaSet, a
	// compose project's service, ...); nil when none does.
	Owner *ObjectRef
	// Revision is the owner's revision the instance claims, as the source
	// names it (a pod's "ReplicaSet web-7d9c" or "ControllerRevision
	// db-6c9f7b8d4"); instances of one owner and revision are copies of
	// one template. "" when none or unknown.
	Revision string
	// Age is how long the instance had run when it was observed; zero
	// when unknown.
	Age time.Duration
	// Created is when the instance was created, from which Age is
	// measured; zero when unknown.
	Created time.Time

	// Containers are the instance's containers as they run (one for a
	// Docker container, none for a host).
	Containers []RunningContainer
	// Changes are the classified differences between the instance's tree
	// and its image or baseline.
	Changes []Change
	// Processes are the processes running in the instance, with where
	// their executables come from.
	Processes []Process
	// Sessions are interactive sessions opened in the instance (exec,
	// attach, debug).
	Sessions []Session
	// Ephemeral are debug containers added to a running pod.
	Ephemeral []EphemeralContainer
	// Edits are differences between the instance's spec and the template
	// of the revision it claims: it was edited in place.
	Edits []Edit
	// Platform is what a node runs (OS image, kernel, runtime, kubelet).
	Platform *Platform
	// Baseline is the golden-image baseline the tree was compared with,
	// when it was.
	Baseline *BaselineUse
}

// RunningContainer is one container as it runs, with the image its
// declaration pins.
type RunningContainer struct {
	// Role is "container", "initContainer" or "ephemeralContainer", as in
	// Container.Role.
	Role string
	Name string
	// Declared is the image the declaration names; its Ref is "" when the
	// container has none to compare with.
	Declared Artifact
	// DeclaredBy says where Declared comes from, e.g. "the template of
	// ReplicaSet shop/web-7d9c", "its own spec", "--expect".
	DeclaredBy string
	// ImageID is the image as the runtime reports it (a pod's status
	// imageID, a Docker image ID).
	ImageID string
	// Digests are the repository digests of the image that runs; empty
	// when the runtime reports none.
	Digests []string
	// Config is the image's config digest (a Docker image ID), "" when
	// unknown.
	Config string
	// TagNow is the config digest the declared tag names now on the same
	// host (Docker), "" when unknown.
	TagNow string
}

// ChangeClass tells what kind of change a drifted path is, in an
// operator's terms.
type ChangeClass int

// Change classes, from the most specific to the least.
const (
	FileChange ChangeClass = iota
	PackageChange
	AccountChange
	EtcChange
	PermissionChange
	ExecutableChange
)

// Change is one classified difference between an instance's tree and its
// image or baseline.
type Change struct {
	Class ChangeClass
	// Path is the changed path inside the instance ("/etc/passwd") or a
	// package ("package curl").
	Path string
	// Subject names what changed when it is not the path, e.g.
	// "package curl", "user deploy".
	Subject string
	// Detail says exactly what changed, e.g. "added regular file (12
	// bytes, mode 0755, owner 0:0)".
	Detail string
	// Privileged marks a new setuid or setgid bit or new file
	// capabilities, or an account given uid 0.
	Privileged bool
}

// ProcessOrigin tells where the executable of a running process comes
// from.
type ProcessOrigin int

// Process origins.
const (
	// FromImage: the executable is the image's, unchanged.
	FromImage ProcessOrigin = iota
	// NotInImage: the executable is not in the image or baseline.
	NotInImage
	// AddedAfterStart: the executable was added to the container after it
	// started from its image.
	AddedAfterStart
	// ModifiedExecutable: the executable's content differs from the
	// image's.
	ModifiedExecutable
	// DeletedExecutable: the executable was deleted after the process
	// started.
	DeletedExecutable
	// OutsideImage: the executable lives on a mount (a volume, a bind
	// mount), not in the image.
	OutsideImage
)

// Process is a process running in an instance.
type Process struct {
	PID int
	// Name is the executable's base name, or the process's comm.
	Name string
	// Command is the command line as ps prints it, "" when unknown.
	Command string
	// Exe is the executable's path inside the instance.
	Exe string
	// Origin is where Exe comes from.
	Origin ProcessOrigin
	// Digest and ImageDigest are the sha256 of the running executable and
	// of the image's file at Exe, when both were hashed and differ.
	Digest, ImageDigest string
}

// Session is an interactive session opened in a running instance.
type Session struct {
	// Kind is "exec", "attach", "debug" or "portforward".
	Kind string
	// Verb is the API verb of the request (a debug container is added
	// with "patch" or "update" of pods/ephemeralcontainers), "" when none.
	Verb string
	// User is who opened it, and As whom they impersonated, when known.
	User, As string
	// Container is the container entered, when known.
	Container string
	// Command is what was run, formatted for display, when known.
	Command string
	// Response is the HTTP status the API server answered, 0 when unknown.
	Response int
	// Time is when it was opened; zero when unknown.
	Time time.Time
	// Running is true when the session still runs (a shell started with
	// docker exec).
	Running bool
	// Source is where it was seen, e.g. "audit log", "docker exec".
	Source string
	// Location points at the record of the session (a line of the audit
	// log), when there is one.
	Location Location
}

// EphemeralContainer is a debug container added to a running pod.
type EphemeralContainer struct {
	Name, Image string
	// Target is the container whose processes it shares, "" for none.
	Target string
	// State describes its state as the runtime reports it, e.g. "running
	// since 2026-01-02T03:04:05Z"; "" when unreported.
	State string
}

// Edit is one difference between a running instance's spec and the
// template of the revision it claims.
type Edit struct {
	// Role ("container", "initContainer") and Container name the
	// container concerned; both "" for the pod itself.
	Role, Container string
	// Field is what differs: "image", "tolerations" (Running lists those
	// added), "label NAME", or a spec field such as
	// "activeDeadlineSeconds".
	Field string
	// Declared and Running are the template's value and the instance's.
	Declared, Running string
	// DeclaredBy names the template, e.g. "ReplicaSet web-7d9c".
	DeclaredBy string
	// Matches names another revision of the same owner whose template
	// has the running value, "" when none does.
	Matches string
}

// Platform is what a node runs, as its status reports it.
type Platform struct {
	// Pool is the node pool the node belongs to, and PoolLabel the label
	// that said so; both "" when no pool label is set.
	Pool, PoolLabel string
	OSImage         string
	Kernel          string
	Runtime         string
	Kubelet         string
}

// BaselineUse is the golden-image baseline an instance's tree was compared
// with.
type BaselineUse struct {
	// Path is the baseline file.
	Path string
	// Verified is true when its signature was verified.
	Verified bool
}
