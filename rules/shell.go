package rules

import (
	"path"
	"strings"

	"github.com/immutcheck/immutcheck/model"
	"mvdan.cc/sh/v3/syntax"
)

// call is one simple command found in a declared command line: its program
// (base name) and its literal arguments.
type call struct {
	prog string
	args []string
}

// maxShellDepth bounds how deep "sh -c '...'" nesting is followed.
const maxShellDepth = 4

// calls returns the simple commands that c would run, looking through shell
// scripts (with mvdan.cc/sh, a real POSIX/Bash parser) and through
// "sh -c", sudo, env, exec and similar wrappers. A script that does not parse
// is scanned as whitespace-separated words, so nothing is silently skipped.
func calls(c model.Command) []call {
	if c.Shell != "" {
		return scriptCalls(c.Shell, 0)
	}
	return argvCalls(c.Args, 0)
}

func scriptCalls(script string, depth int) []call {
	if depth > maxShellDepth {
		return nil
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(script), "")
	if err != nil {
		return argvCalls(strings.Fields(script), depth)
	}
	var out []call
	syntax.Walk(f, func(n syntax.Node) bool {
		ce, ok := n.(*syntax.CallExpr)
		if !ok || len(ce.Args) == 0 {
			return true
		}
		argv := make([]string, 0, len(ce.Args))
		for _, w := range ce.Args {
			argv = append(argv, wordText(w))
		}
		out = append(out, argvCalls(argv, depth)...)
		return true
	})
	return out
}

// wordText returns the literal text of a shell word, with quotes removed and
// expansions kept as written.
func wordText(w *syntax.Word) string {
	var b strings.Builder
	for _, part := range w.Parts {
		switch p := part.(type) {
		case *syntax.Lit:
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if l, ok := q.(*syntax.Lit); ok {
					b.WriteString(l.Value)
				} else {
					b.WriteString("$")
				}
			}
		default:
			b.WriteString("$")
		}
	}
	return b.String()
}

// wrappers run their arguments as a command.
var wrappers = map[string]bool{"sudo": true, "exec": true, "env": true, "nohup": true, "nice": true, "time": true, "doas": true, "gosu": true, "su-exec": true, "tini": true, "dumb-init": true, "command": true}

func argvCalls(argv []string, depth int) []call {
	for len(argv) > 0 {
		prog := path.Base(argv[0])
		switch {
		case model.IsShell(prog):
			for i := 1; i < len(argv); i++ {
				if strings.HasPrefix(argv[i], "-") && strings.Contains(argv[i], "c") && !strings.HasPrefix(argv[i], "--") {
					if i+1 < len(argv) {
						return scriptCalls(argv[i+1], depth+1)
					}
					return nil
				}
			}
			return []call{{prog: prog, args: argv[1:]}}
		case wrappers[prog] || prog == "--":
			argv = argv[1:]
			// Skip the wrapper's own options and env assignments.
			for len(argv) > 0 && (strings.HasPrefix(argv[0], "-") || strings.Contains(argv[0], "=")) {
				argv = argv[1:]
			}
			continue
		default:
			return []call{{prog: prog, args: argv[1:]}}
		}
	}
	return nil
}

// installers maps a package manager to the subcommands that install or
// upgrade software.
var installers = map[string][]string{
	"apt-get":  {"install", "upgrade", "dist-upgrade", "full-upgrade"},
	"apt":      {"install", "upgrade", "full-upgrade", "dist-upgrade"},
	"aptitude": {"install", "upgrade", "safe-upgrade", "full-upgrade"},
	"apk":      {"add", "upgrade"},
	"yum":      {"install", "update", "upgrade", "groupinstall", "localinstall"},
	"dnf":      {"install", "update", "upgrade", "groupinstall"},
	"microdnf": {"install", "update", "upgrade"},
	"tdnf":     {"install", "update", "upgrade"},
	"zypper":   {"install", "in", "update", "up", "dist-upgrade", "dup"},
	"pip":      {"install"},
	"pip3":     {"install"},
	"npm":      {"install", "i", "ci", "add"},
	"gem":      {"install", "update"},
	"dpkg":     {"-i", "--install"},
	"rpm":      {"-i", "-U", "--install", "--upgrade", "-ivh", "-Uvh"},
}

// packageInstall describes an install found in a command: the command line
// and the packages named.
type packageInstall struct {
	line     string
	packages []string
}

// installs returns the package installs that c runs.
func installs(c model.Command) []packageInstall {
	var out []packageInstall
	for _, cl := range calls(c) {
		prog, args := cl.prog, cl.args
		if strings.HasPrefix(prog, "python") && len(args) >= 2 && args[0] == "-m" && strings.HasPrefix(args[1], "pip") {
			prog, args = "pip", args[2:]
		}
		subs, ok := installers[prog]
		if !ok {
			continue
		}
		sub, rest := firstNonFlag(args)
		if prog == "dpkg" || prog == "rpm" {
			sub, rest = firstFlagIn(args, subs)
		}
		for _, s := range subs {
			if sub == s {
				var pkgs []string
				for _, a := range rest {
					if !strings.HasPrefix(a, "-") {
						pkgs = append(pkgs, a)
					}
				}
				out = append(out, packageInstall{line: strings.TrimSpace(prog + " " + strings.Join(args, " ")), packages: pkgs})
				break
			}
		}
	}
	return out
}

func firstNonFlag(args []string) (string, []string) {
	for i, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a, args[i+1:]
		}
	}
	return "", nil
}

func firstFlagIn(args, flags []string) (string, []string) {
	for i, a := range args {
		for _, f := range flags {
			if a == f {
				return a, args[i+1:]
			}
		}
	}
	return "", nil
}

// runsSSHD reports whether c starts an SSH daemon, and the call that does.
func runsSSHD(c model.Command) (string, bool) {
	for _, cl := range calls(c) {
		switch {
		case model.IsRemoteAccess(cl.prog):
			return strings.TrimSpace(cl.prog + " " + strings.Join(cl.args, " ")), true
		case (cl.prog == "service" || cl.prog == "systemctl" || cl.prog == "rc-service") && len(cl.args) >= 2:
			for _, a := range cl.args {
				if a == "ssh" || a == "sshd" || a == "ssh.service" || a == "sshd.service" {
					return cl.prog + " " + strings.Join(cl.args, " "), true
				}
			}
		}
	}
	return "", false
}

// sshServerPackage reports whether pkg names an SSH server package.
func sshServerPackage(pkg string) bool {
	p := strings.ToLower(pkg)
	if i := strings.IndexAny(p, "=<>:"); i > 0 {
		p = p[:i]
	}
	return p == "openssh-server" || p == "openssh" || p == "dropbear" || p == "openssh-server-pam" || strings.HasPrefix(p, "openssh-server")
}
