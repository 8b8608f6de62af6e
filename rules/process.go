package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// foreignProcess reports every process, on a host or in a container, whose
// executable is not the image's: not in the image or baseline, added
// after the container started, modified, deleted after the process
// started, or on a mount.
func foreignProcess(p *Pass) {
	for _, in := range p.File.Instances {
		for i := range in.Processes {
			pr := &in.Processes[i]
			if pr.Origin == model.FromImage {
				continue
			}
			atPath(p, in, processSubject(pr), pr.Exe, "%s", foreignText(in, pr))
		}
	}
}

// foreignText says where a foreign process's executable comes from.
func foreignText(in *model.Instance, pr *model.Process) string {
	// Against a baseline file, the image is the baseline.
	image := "the image"
	if in.Baseline != nil {
		image = "the baseline"
	}
	cmd := ""
	if pr.Command != "" {
		cmd = " (command: " + pr.Command + ")"
	}
	switch pr.Origin {
	case model.DeletedExecutable:
		return "runs " + pr.Exe + ", which was deleted from disk after it started" + cmd
	case model.AddedAfterStart:
		return "runs " + pr.Exe + ", which was added to the " + where(in) + " after it started from the image" + cmd
	case model.ModifiedExecutable:
		if pr.Digest != "" && pr.ImageDigest != "" {
			return fmt.Sprintf("runs %s, whose content (sha256 %s) differs from %s (%s)%s", pr.Exe, shortDigest(pr.Digest), image, shortDigest(pr.ImageDigest), cmd)
		}
		return "runs " + pr.Exe + ", whose content differs from " + image + "'s" + cmd
	case model.OutsideImage:
		cmd = ""
		if pr.Command != "" {
			cmd = "; command: " + pr.Command
		}
		return "runs " + pr.Exe + ", which is not in the image (a mounted path" + cmd + ")"
	}
	return "runs " + pr.Exe + ", which is not in " + image + cmd
}

// remoteAccessProcess reports remote-access daemons (sshd, dropbear) that
// run an executable of the image; one that does not is a foreign process.
func remoteAccessProcess(p *Pass) {
	for _, in := range p.File.Instances {
		for i := range in.Processes {
			pr := &in.Processes[i]
			name := path.Base(pr.Exe)
			if pr.Exe == "" {
				name = pr.Name
			}
			if pr.Origin != model.FromImage || !model.IsRemoteAccess(name) {
				continue
			}
			msg := "SSH server " + name + " runs in the " + where(in)
			if in.Kind == "Host" {
				msg = "SSH server " + name + " runs on the host"
			}
			if pr.Command != "" {
				msg += " (command: " + pr.Command + ")"
			}
			atPath(p, in, processSubject(pr), pr.Exe, "%s", msg)
		}
	}
}

// processSubject names a process: "process 42", or "process 42 (sshd)"
// when its name is known.
func processSubject(pr *model.Process) string {
	if pr.Name != "" {
		return fmt.Sprintf("process %d (%s)", pr.PID, pr.Name)
	}
	return fmt.Sprintf("process %d", pr.PID)
}

// where names what an instance is, e.g. "container", "host".
func where(in *model.Instance) string {
	if in.Kind == "" {
		return "instance"
	}
	return strings.ToLower(in.Kind)
}

// shortDigest abbreviates a sha256 digest to 12 hex digits.
func shortDigest(d string) string {
	d = strings.TrimPrefix(d, "sha256:")
	if len(d) > 12 {
		return d[:12]
	}
	return d
}
