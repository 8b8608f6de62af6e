package model

// Workload is a declared unit that produces running instances: a Kubernetes
// pod template (Pod, Deployment, StatefulSet, ...), a compose service.
type Workload struct {
	// Source names the format it came from: "kubernetes", "compose".
	Source string
	// Kind is the declared kind: "Deployment", "Pod", "service" (compose).
	Kind string
	// Namespace and Name identify the workload; Namespace may be empty.
	Namespace string
	Name      string
	// Location is where the object starts.
	Location Location
	// Object is the live object this workload was read from; nil for
	// declarations read from files.
	Object *ObjectRef

	// Controlled is true when a controller owns the instances and replaces
	// them (everything but a naked Pod). A Pod with an ownerReference that
	// is a controller counts as controlled.
	Controlled bool
	// RunsToCompletion is true for Jobs and CronJobs, whose instances are
	// not long-running services.
	RunsToCompletion bool

	Containers []Container
	// HostPaths are volumes that mount a path of the host.
	HostPaths []HostPath
	// HostNamespaces lists host namespaces shared with the host ("PID",
	// "network", "IPC"), each with the location of the setting.
	HostNamespaces []Setting
	// UpdateStrategy is the declared strategy type ("RollingUpdate",
	// "OnDelete", "Recreate"); empty when not declared.
	UpdateStrategy Setting
	// RevisionHistoryLimit is the number of old revisions kept; nil when
	// not declared (the platform default applies).
	RevisionHistoryLimit *IntSetting
	// Rollback is the declared automatic rollback; nil when the format
	// has no such setting.
	Rollback *Rollback

	// Ignores are the suppressions declared on this workload.
	Ignores []Ignore
}

// Subject returns the human name of the workload, e.g. "Deployment/shop/web".
func (w *Workload) Subject() string {
	switch {
	case w.Namespace != "":
		return w.Kind + "/" + w.Namespace + "/" + w.Name
	case w.Name != "":
		return w.Kind + "/" + w.Name
	default:
		return w.Kind
	}
}

// Container is one container of a workload.
type Container struct {
	// Name is the container (or compose service) name.
	Name string
	// Role is "container", "initContainer" or "ephemeralContainer".
	Role string
	// Location is where the container is declared.
	Location Location

	// Image is the image reference; Image.Ref is empty when none is set
	// (compose services that only build).
	Image Artifact
	// PullPolicy is the declared image pull policy, if any.
	PullPolicy string

	// Commands are the commands the container runs at start: its
	// entrypoint/command with args, and lifecycle hooks.
	Commands []Command

	// ReadOnlyRoot is the declared read-only root filesystem setting; nil
	// when not declared.
	ReadOnlyRoot *BoolSetting
	// Privileged is set when the container runs privileged.
	Privileged *BoolSetting
	// AddedCapabilities are Linux capabilities added to the container.
	AddedCapabilities []Setting
	// Ports are the ports the container declares or publishes.
	Ports []Port
	// Probes lists the declared health probes ("readiness", "liveness",
	// "startup", "healthcheck").
	Probes []string
	// ProbesDisabled is true when a probe was explicitly disabled (compose
	// healthcheck disable: true).
	ProbesDisabled bool
}

// Subject returns the human name of the container within w.
func (c *Container) Subject(w *Workload) string {
	if c.Name == "" || (w.Source == "compose" && c.Name == w.Name) {
		return w.Subject()
	}
	return w.Subject() + " " + roleWord(c.Role) + " " + c.Name
}

func roleWord(role string) string {
	if role == "" {
		return "container"
	}
	return role
}

// Port is a declared or published port.
type Port struct {
	Number   int
	Protocol string // "tcp", "udp"; empty means tcp
	Location Location
}

// HostPath is a volume backed by a host path.
type HostPath struct {
	Name     string
	Path     string
	Location Location
}

// Command is a command as declared: Args for exec form, Shell for a shell
// string. Exactly one of the two is usually set; a loader that sees
// ["sh", "-c", script] keeps Args and the rules look into the script.
type Command struct {
	// Args is the exec form.
	Args []string
	// Shell is a shell script (Dockerfile shell form, compose string).
	Shell string
	// Context says what runs it: "command", "args", "postStart",
	// "entrypoint", "RUN", "CMD", ...
	Context  string
	Location Location
}

// Setting is a declared string value and where it was written.
type Setting struct {
	Value    string
	Location Location
}

// BoolSetting is a declared boolean and where it was written.
type BoolSetting struct {
	Value    bool
	Location Location
}

// IntSetting is a declared integer and where it was written.
type IntSetting struct {
	Value    int64
	Location Location
}
