package dockerfile

import (
	"strconv"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/immutcheck/immutcheck/model"
)

// cmdline converts the command line of RUN, CMD or ENTRYPOINT. The shell
// form becomes a Shell script, the exec (JSON) form Args. For heredocs it
// follows BuildKit's dispatchRun: a command that is only a heredoc runs the
// heredoc's body; otherwise the bodies are put back after the command so the
// shell reads them as heredocs.
func (c *converter) cmdline(cl instructions.ShellDependantCmdLine, context string, line int) model.Command {
	cmd := model.Command{Context: context, Location: c.loc(line, 0)}
	if !cl.PrependShell {
		cmd.Args = append([]string(nil), cl.CmdLine...)
		return cmd
	}
	script := strings.Join(cl.CmdLine, " ")
	if len(cl.Files) > 0 && len(cl.CmdLine) == 1 {
		if h, err := parser.ParseHeredoc(cl.CmdLine[0]); err == nil && h != nil {
			script = cl.Files[0].Data
		} else {
			var sb strings.Builder
			sb.WriteString(script)
			for _, f := range cl.Files {
				sb.WriteString("\n" + f.Data + f.Name)
			}
			script = sb.String()
		}
	}
	cmd.Shell = script
	return cmd
}

// sshPort is recorded for a port range that contains it, so that a range
// exposing SSH is not hidden behind its first port.
const sshPort = 22

// ports parses EXPOSE arguments: "80", "80/tcp", "8000-8010/udp". A range
// is recorded as its first port, or as 22 when it contains 22. Arguments
// that do not parse (e.g. an unexpanded $PORT) are left out.
func (c *converter) ports(specs []string, line int) []model.Port {
	var out []model.Port
	for _, spec := range specs {
		num, proto, _ := strings.Cut(spec, "/")
		lo, hi, isRange := strings.Cut(num, "-")
		first, err := strconv.Atoi(lo)
		if err != nil || first < 0 || first > 65535 {
			continue
		}
		n := first
		if isRange {
			last, err := strconv.Atoi(hi)
			if err != nil || last < first || last > 65535 {
				continue
			}
			if first <= sshPort && sshPort <= last {
				n = sshPort
			}
		}
		out = append(out, model.Port{Number: n, Protocol: strings.ToLower(proto), Location: c.loc(line, 0)})
	}
	return out
}
