package rules

import (
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// WritableRootFilesystem: a container can write to its root filesystem.
var WritableRootFilesystem = &Rule{
	ID:          "writable-root-filesystem",
	Group:       Disposable,
	Severity:    Medium,
	Title:       "Container root filesystem is writable",
	Rationale:   "A writable root filesystem lets the instance diverge from its image (packages installed, binaries dropped, config edited) and keeps state that is lost, or worse relied upon, when the instance is replaced.",
	Remediation: "Set securityContext.readOnlyRootFilesystem: true (compose: read_only: true) and mount an emptyDir or tmpfs for paths that must be writable.",
	Principle:   principleDisposable,
	Reads:       Declarations,
	Check: func(p *Pass) {
		for _, w := range p.File.Workloads {
			for i := range w.Containers {
				c := &w.Containers[i]
				if c.Role == "ephemeralContainer" {
					continue
				}
				switch {
				case c.ReadOnlyRoot == nil:
					p.Containerf(w, c, c.Location, "root filesystem is writable: %s is not set", readOnlyField(w))
				case !c.ReadOnlyRoot.Value:
					p.Containerf(w, c, c.ReadOnlyRoot.Location, "root filesystem is writable: %s is false", readOnlyField(w))
				}
			}
		}
	},
}

func readOnlyField(w *model.Workload) string {
	switch w.Source {
	case "kubernetes":
		return "securityContext.readOnlyRootFilesystem"
	case "ecs":
		return "readonlyRootFilesystem"
	case "nomad":
		return "readonly_rootfs"
	case "docker":
		return "read-only root (docker run --read-only)"
	}
	return "read_only"
}

// HostPathVolume: a workload mounts a path of its host.
var HostPathVolume = &Rule{
	ID:          "host-path-volume",
	Group:       Disposable,
	Severity:    High,
	Title:       "Workload mounts a host path",
	Rationale:   "State on a host path ties the instance to one machine: it cannot be replaced elsewhere, it survives replacement and carries changes across versions, and it can modify the host itself.",
	Remediation: "Use a managed volume (PersistentVolumeClaim, named volume) or external storage instead of a host path.",
	Principle:   principleDisposable,
	Reads:       Declarations,
	Check: func(p *Pass) {
		for _, w := range p.File.Workloads {
			for _, h := range w.HostPaths {
				p.Workloadf(w, h.Location, "volume %q mounts host path %s", h.Name, h.Path)
			}
		}
	},
}

// UnmanagedInstance: a pod no controller owns, so nothing replaces it.
var UnmanagedInstance = &Rule{
	ID:          "unmanaged-instance",
	Group:       Disposable,
	Severity:    High,
	Title:       "Instance is not managed by a controller",
	Rationale:   "A naked Pod is a pet: when it dies or its node goes, nothing creates a replacement, and changing it means editing it in place.",
	Remediation: "Run the pod from a Deployment, StatefulSet, DaemonSet or Job so that a controller replaces it.",
	Principle:   principleDisposable,
	Reads:       Declarations,
	Check: func(p *Pass) {
		for _, w := range p.File.Workloads {
			if !w.Controlled {
				p.Workloadf(w, w.Location, "not owned by a controller; nothing replaces it when it fails")
			}
		}
	},
}

// MissingHealthProbe: a long-running container has no health probe.
var MissingHealthProbe = &Rule{
	ID:          "missing-health-probe",
	Group:       Disposable,
	Severity:    Medium,
	Title:       "Long-running container has no health probe",
	Rationale:   "Replacement is only safe when the platform can tell a healthy new instance from a broken one: without probes a rollout replaces good instances with bad ones and an automated rollback never triggers.",
	Remediation: "Declare a readinessProbe and a livenessProbe (compose: healthcheck).",
	Principle:   principleDisposable,
	Reads:       Declarations,
	Check: func(p *Pass) {
		for _, w := range p.File.Workloads {
			if w.RunsToCompletion {
				continue
			}
			for i := range w.Containers {
				c := &w.Containers[i]
				if c.Role != "" && c.Role != "container" {
					continue
				}
				switch {
				case c.ProbesDisabled:
					p.Containerf(w, c, c.Location, "health check is disabled")
				case len(c.Probes) == 0 && w.Source == "kubernetes":
					p.Containerf(w, c, c.Location, "no readinessProbe or livenessProbe")
				case len(c.Probes) == 0:
					p.Containerf(w, c, c.Location, "no healthcheck declared")
				case w.Source == "kubernetes" && !hasProbe(c, "readiness") && !hasProbe(c, "liveness"):
					p.Containerf(w, c, c.Location, "only a %s probe; no readinessProbe or livenessProbe", strings.Join(c.Probes, ", "))
				}
			}
		}
	},
}

func hasProbe(c *model.Container, kind string) bool {
	for _, p := range c.Probes {
		if p == kind {
			return true
		}
	}
	return false
}

// NoReplacementStrategy: an update strategy that never replaces instances.
var NoReplacementStrategy = &Rule{
	ID:          "no-replacement-strategy",
	Group:       Disposable,
	Severity:    High,
	Title:       "Update strategy never replaces instances",
	Rationale:   "With updateStrategy OnDelete a new template is not rolled out: old pods keep running the old version until someone deletes them by hand, so the declaration and the fleet disagree.",
	Remediation: "Use updateStrategy type RollingUpdate.",
	Principle:   principleDisposable,
	Reads:       Declarations,
	Check: func(p *Pass) {
		for _, w := range p.File.Workloads {
			if w.UpdateStrategy.Value == "OnDelete" {
				p.Workloadf(w, w.UpdateStrategy.Location, "updateStrategy is OnDelete: changes reach pods only when they are deleted by hand")
			}
		}
	},
}
