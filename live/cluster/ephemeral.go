package cluster

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/immutcheck/immutcheck/model"
)

// ephemeralContainers reads the ephemeral (debug) containers of p, with
// their image, the container they target and their state. Ephemeral
// containers can only be added, never removed: a pod that had one keeps it
// until it is replaced.
func ephemeralContainers(p *corev1.Pod) []model.EphemeralContainer {
	if len(p.Spec.EphemeralContainers) == 0 {
		return nil
	}
	out := make([]model.EphemeralContainer, 0, len(p.Spec.EphemeralContainers))
	for _, ec := range p.Spec.EphemeralContainers {
		e := model.EphemeralContainer{Name: ec.Name, Image: ec.Image, Target: ec.TargetContainerName}
		for _, st := range p.Status.EphemeralContainerStatuses {
			if st.Name == ec.Name {
				e.State = stateText(st.State)
			}
		}
		out = append(out, e)
	}
	return out
}

// stateText describes a container state: "running since T", "waiting
// (reason)", "terminated with exit code N at T".
func stateText(s corev1.ContainerState) string {
	switch {
	case s.Running != nil:
		return "running since " + s.Running.StartedAt.UTC().Format("2006-01-02T15:04:05Z")
	case s.Terminated != nil:
		return fmt.Sprintf("terminated with exit code %d at %s", s.Terminated.ExitCode, s.Terminated.FinishedAt.UTC().Format("2006-01-02T15:04:05Z"))
	case s.Waiting != nil && s.Waiting.Reason != "":
		return "waiting (" + s.Waiting.Reason + ")"
	}
	return "waiting"
}
