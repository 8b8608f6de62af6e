package rules

import (
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// agentServices maps the service and package names of configuration
// management agents to the agent they belong to.
var agentServices = map[string]string{
	"chef-client":  "Chef",
	"puppet":       "Puppet",
	"puppet-agent": "Puppet",
	"pxp-agent":    "Puppet",
	"salt-minion":  "Salt",
}

// agentPackagesEnabled are agent packages whose Debian and RPM packages
// enable and start the agent's service on install.
var agentPackagesEnabled = map[string]string{
	"puppet-agent": "Puppet",
	"puppet":       "Puppet",
	"salt-minion":  "Salt",
}

// agentUse is one place where a command leaves an agent running.
type agentUse struct {
	agent string
	what  string
}

// agentActivations returns the configuration-management agents that c
// installs enabled, enables, starts as a daemon or schedules. The detector is
// shared by every source of instance set-up commands (Packer provisioners,
// user data, cloud-init).
func agentActivations(c model.Command) []agentUse {
	var out []agentUse
	for _, cl := range calls(c) {
		line := strings.TrimSpace(cl.prog + " " + strings.Join(cl.args, " "))
		switch cl.prog {
		case "systemctl", "service", "update-rc.d", "chkconfig", "rc-update":
			if svc, ok := enablesService(cl); ok {
				out = append(out, agentUse{agent: agentServices[svc], what: "enables the " + svc + " service (" + line + ")"})
			}
		case "chef-client":
			if hasAnyArg(cl.args, "-d", "--daemonize", "-i", "--interval") {
				out = append(out, agentUse{agent: "Chef", what: "runs chef-client as a daemon (" + line + ")"})
			}
		case "salt-minion":
			out = append(out, agentUse{agent: "Salt", what: "starts salt-minion (" + line + ")"})
		case "puppet":
			if len(cl.args) > 0 && cl.args[0] == "agent" && !hasAnyArg(cl.args, "-t", "--test", "--onetime", "-o", "--no-daemonize", "--disable") {
				out = append(out, agentUse{agent: "Puppet", what: "runs the puppet agent daemon (" + line + ")"})
			}
		}
	}
	for _, in := range installs(c) {
		for _, pkg := range in.packages {
			name := strings.ToLower(pkg)
			if i := strings.IndexAny(name, "=<>:"); i > 0 {
				name = name[:i]
			}
			if a, ok := agentPackagesEnabled[name]; ok {
				out = append(out, agentUse{agent: a, what: "installs " + name + ", whose package enables the agent service (" + in.line + ")"})
			}
		}
	}
	if s := scriptText(c); strings.Contains(s, "cron") {
		for _, prog := range []string{"ansible-pull", "chef-client", "puppet agent", "salt-call"} {
			if strings.Contains(s, prog) {
				out = append(out, agentUse{agent: agentOf(prog), what: "schedules " + prog + " with cron"})
			}
		}
	}
	return out
}

// agentDisabled reports whether c disables or removes the agent service svc
// (e.g. "systemctl disable puppet"), which makes an earlier install harmless.
func agentDisabled(c model.Command, agent string) bool {
	for _, cl := range calls(c) {
		for _, a := range cl.args {
			if agentServices[strings.TrimSuffix(a, ".service")] != agent {
				continue
			}
			if hasAnyArg(cl.args, "disable", "mask", "remove", "off", "del", "purge") {
				return true
			}
		}
	}
	return false
}

// enablesService reports whether a service-manager call enables or starts
// an agent service, and which.
func enablesService(cl call) (string, bool) {
	enables := hasAnyArg(cl.args, "enable", "start", "restart", "on", "defaults", "add", "--now")
	if cl.prog == "service" {
		enables = hasAnyArg(cl.args, "start", "restart")
	}
	if !enables {
		return "", false
	}
	for _, a := range cl.args {
		svc := strings.TrimSuffix(a, ".service")
		if _, ok := agentServices[svc]; ok {
			return svc, true
		}
	}
	return "", false
}

func hasAnyArg(args []string, want ...string) bool {
	for _, a := range args {
		for _, w := range want {
			if a == w {
				return true
			}
		}
	}
	return false
}

func scriptText(c model.Command) string {
	if c.Shell != "" {
		return c.Shell
	}
	return strings.Join(c.Args, " ")
}

func agentOf(prog string) string {
	switch {
	case strings.HasPrefix(prog, "ansible"):
		return "Ansible"
	case strings.HasPrefix(prog, "chef"):
		return "Chef"
	case strings.HasPrefix(prog, "puppet"):
		return "Puppet"
	}
	return "Salt"
}
