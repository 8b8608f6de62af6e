package cluster

import (
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/immutcheck/immutcheck/rules"
)

// ephemeralContainers reports each ephemeral (debug) container of p, with
// its image, the container it targets and its state. Ephemeral containers
// can only be added, never removed: a pod that had one keeps it until it is
// replaced.
func ephemeralContainers(p *corev1.Pod) []rules.Finding {
	var out []rules.Finding
	for _, ec := range p.Spec.EphemeralContainers {
		msg := fmt.Sprintf("ephemeral container %s (image %s", ec.Name, ec.Image)
		if ec.TargetContainerName != "" {
			msg += ", targeting container " + ec.TargetContainerName
		}
		msg += ") was added to the running pod"
		for _, st := range p.Status.EphemeralContainerStatuses {
			if st.Name == ec.Name {
				msg += "; it is " + stateText(st.State)
			}
		}
		out = append(out, finding(rules.EphemeralContainer, podRef(p), roleEphemeral+" "+ec.Name, "%s", msg))
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
