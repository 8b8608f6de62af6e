package rules

import "github.com/immutcheck/immutcheck/model"

// ephemeralContainer reports each ephemeral (debug) container of every
// instance, with its image, the container it targets and its state.
func ephemeralContainer(p *Pass) {
	for _, in := range p.File.Instances {
		for _, e := range in.Ephemeral {
			msg := "ephemeral container " + e.Name + " (image " + e.Image
			if e.Target != "" {
				msg += ", targeting container " + e.Target
			}
			msg += ") was added to the running pod"
			if e.State != "" {
				msg += "; it is " + e.State
			}
			p.Instancef(in, "ephemeralContainer "+e.Name, model.Location{}, "%s", msg)
		}
	}
}
