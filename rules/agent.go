package rules

import (
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// agentPrograms are configuration-management agents that keep changing an
// instance after it started. A masterless one-shot run at build time is
// fine; on a running instance each of these converges it in place.
var agentPrograms = map[string]bool{
	"chef-client": true, "chef-solo": false, "puppetd": true, "salt-minion": true, "ansible-pull": true,
}

// agentPackages are packages that install such an agent.
var agentPackages = map[string]bool{
	"puppet-agent": true, "puppet": true, "salt-minion": true, "chef": true, "chef-client": true,
}

// agentServices are service units of such agents.
var agentServices = map[string]bool{
	"chef-client": true, "puppet": true, "puppet-agent": true, "pxp-agent": true, "salt-minion": true,
}

// agentModules are cloud-init modules that install and start an agent.
var agentModules = map[string]bool{"chef": true, "puppet": true, "salt_minion": true, "ansible": true}

// agentUse returns how cmd installs, starts or schedules a
// configuration-management agent ("ansible-pull", "puppet agent",
// "installs salt-minion", ...), or "" when it does not. It is shared by
// every format that carries boot scripts or build provisioners.
func agentUse(cmd model.Command) string {
	for _, cl := range calls(cmd) {
		switch {
		case agentPrograms[cl.prog]:
			return cl.prog
		case cl.prog == "puppet" && len(cl.args) > 0 && cl.args[0] == "agent":
			return "puppet agent"
		case (cl.prog == "systemctl" || cl.prog == "service" || cl.prog == "chkconfig" || cl.prog == "update-rc.d") && len(cl.args) > 0:
			for _, a := range cl.args {
				if agentServices[strings.TrimSuffix(a, ".service")] {
					return cl.prog + " " + strings.Join(cl.args, " ")
				}
			}
		}
		// Agents scheduled through cron lines written by echo, tee, ...
		for _, a := range cl.args {
			for _, w := range strings.Fields(a) {
				if agentPrograms[w] {
					return w + " (scheduled)"
				}
			}
		}
	}
	for _, in := range installs(cmd) {
		for _, pkg := range in.packages {
			name := strings.ToLower(pkg)
			if i := strings.IndexAny(name, "=<>:"); i > 0 {
				name = name[:i]
			}
			if agentPackages[name] {
				return "installs " + name
			}
		}
	}
	return ""
}

// ConfigManagementAgent: an instance runs an agent that changes it in place.
var ConfigManagementAgent = &Rule{
	ID:          "config-management-agent",
	Group:       Declarative,
	Severity:    High,
	Title:       "Instance runs a configuration-management agent",
	Rationale:   "A Chef, Puppet or Salt agent, or a scheduled ansible-pull, keeps converging the instance to whatever the configuration server says now: instances drift from their image and from each other, and a change reaches them without a new image or a replacement.",
	Remediation: "Run configuration management when building the image (Packer provisioner, then remove the agent) and replace instances to change them.",
	Principle:   principleDeclarative,
	Check: func(p *Pass) {
		for _, r := range p.File.Resources {
			u := r.UserData
			if u == nil {
				continue
			}
			for _, m := range u.Modules {
				if agentModules[m] {
					p.Resourcef(r, u.Location, "cloud-config module %q installs a configuration-management agent", m)
				}
			}
			for _, cmd := range u.Commands {
				if use := agentUse(cmd); use != "" {
					p.Resourcef(r, cmd.Location, "user data runs a configuration-management agent: %s", use)
				}
			}
		}
	},
}
