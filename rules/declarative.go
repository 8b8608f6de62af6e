package rules

import (
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// RuntimePackageInstall: a container installs software when it starts.
var RuntimePackageInstall = &Rule{
	ID:          "runtime-package-install",
	Group:       Declarative,
	Severity:    High,
	Title:       "Container installs packages at start",
	Rationale:   "Installing packages when the container starts changes the instance after it left the image: every start may get different versions, the image no longer describes what runs, and a registry outage stops the service from starting.",
	Remediation: "Install the packages in the image build (a RUN step) and deploy the new image by digest.",
	Principle:   principleDeclarative,
	Check: func(p *Pass) {
		for _, w := range p.File.Workloads {
			for i := range w.Containers {
				c := &w.Containers[i]
				for _, cmd := range c.Commands {
					for _, in := range installs(cmd) {
						p.Containerf(w, c, cmd.Location, "%s runs %q at container start", cmdContext(cmd), in.line)
					}
				}
			}
		}
		for _, b := range p.File.Builds {
			for _, cmd := range b.Start {
				for _, in := range installs(cmd) {
					p.Buildf(b, cmd.Location, "%s runs %q at container start", cmdContext(cmd), in.line)
				}
			}
		}
	},
}

func cmdContext(c model.Command) string {
	if c.Context == "" {
		return "command"
	}
	return strings.TrimSpace(c.Context)
}
