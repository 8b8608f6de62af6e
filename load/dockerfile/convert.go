package dockerfile

import (
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/immutcheck/immutcheck/model"
)

// emptyImage is the base that is no image at all. BuildKit compares it
// case-sensitively.
const emptyImage = "scratch"

// converter turns BuildKit's typed stages into a model.Build.
type converter struct {
	path string
	src  *source
	lex  *expander
}

func (c *converter) loc(line, col int) model.Location {
	return model.Location{File: c.path, Line: line, Column: col}
}

// convert fills b from the stages. parent[i] is the index of the earlier
// stage that stage i is built FROM, or -1 for an image.
func (c *converter) convert(b *model.Build, stages []instructions.Stage) error {
	parent := make([]int, len(stages))
	byName := map[string]int{}
	for i, st := range stages {
		parent[i] = -1
		line := startLine(st.Location)
		ref, err := c.lex.expand(st.BaseName)
		if c.lex.err != nil {
			// An ARG before it was over the budget.
			return c.lex.err
		}
		if err != nil {
			return atLine(line, "FROM: %w", err)
		}
		if strings.TrimSpace(ref) == "" {
			return atLine(line, "FROM: base image name is empty after build arguments are substituted")
		}
		if j, ok := byName[strings.ToLower(ref)]; ok {
			parent[i] = j
		} else if ref != emptyImage {
			col := c.src.column(line, st.BaseName)
			b.Bases = append(b.Bases, model.NewArtifact(ref, c.loc(line, col)))
		}
		if st.Name != "" {
			byName[strings.ToLower(st.Name)] = i
		}
		for _, cmd := range st.Commands {
			c.command(b, cmd)
		}
	}
	c.final(b, stages, parent)
	return c.lex.err
}

// command records what one instruction of any stage contributes to the
// build itself: RUN steps and ADD downloads.
func (c *converter) command(b *model.Build, cmd instructions.Command) {
	line := startLine(cmd.Location())
	switch v := cmd.(type) {
	case *instructions.RunCommand:
		b.Steps = append(b.Steps, c.cmdline(v.ShellDependantCmdLine, "RUN", line))
	case *instructions.AddCommand:
		for _, src := range v.SourcePaths {
			if isRemote(src) {
				b.Fetches = append(b.Fetches, model.Fetch{URL: src, Checksum: v.Checksum, Location: c.loc(line, 0)})
			}
		}
	}
}

// final records what the final image runs and exposes. An image built FROM
// an earlier stage inherits that stage's ENTRYPOINT, CMD, EXPOSE and ENV, so
// the chain of stages is followed from the first ancestor down.
func (c *converter) final(b *model.Build, stages []instructions.Stage, parent []int) {
	var chain []int
	seen := map[int]bool{}
	for i := len(stages) - 1; i >= 0 && !seen[i]; i = parent[i] {
		seen[i] = true
		chain = append(chain, i)
	}
	var entrypoint, cmd *model.Command
	var ports []model.Port
	env := newStageEnv(c.lex)
	for k := len(chain) - 1; k >= 0; k-- {
		cmdSet := false
		env.enterStage()
		for _, ins := range stages[chain[k]].Commands {
			line := startLine(ins.Location())
			switch v := ins.(type) {
			case *instructions.EnvCommand:
				env.setEnv(v.Env, line)
			case *instructions.ArgCommand:
				env.setArgs(v.Args, line)
			case *instructions.EntrypointCommand:
				e := c.cmdline(v.ShellDependantCmdLine, "ENTRYPOINT", line)
				entrypoint = &e
				// As in BuildKit: ENTRYPOINT drops a CMD inherited from
				// the parent, but not one set earlier in this stage.
				if !cmdSet {
					cmd = nil
				}
			case *instructions.CmdCommand:
				x := c.cmdline(v.ShellDependantCmdLine, "CMD", line)
				cmd, cmdSet = &x, true
			case *instructions.ExposeCommand:
				ports = append(ports, c.ports(env.words(v.Ports, line), line)...)
			}
		}
	}
	for _, x := range []*model.Command{entrypoint, cmd} {
		if x != nil && (x.Shell != "" || len(x.Args) > 0) {
			b.Start = append(b.Start, *x)
		}
	}
	b.Ports = ports
}

// isRemote reports whether an ADD source is fetched by the builder: an
// HTTP(S) URL or a Git repository.
func isRemote(src string) bool {
	lower := strings.ToLower(src)
	for _, p := range []string{"http://", "https://", "git://", "git@", "ssh://"} {
		if strings.HasPrefix(lower, p) {
			return true
		}
	}
	return false
}

// startLine is the first line of a BuildKit location, or 0.
func startLine(rs []parser.Range) int {
	if len(rs) == 0 {
		return 0
	}
	return rs[0].Start.Line
}
