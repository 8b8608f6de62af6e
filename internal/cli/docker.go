package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/internal/regfile"
	"github.com/immutcheck/immutcheck/live/docker"
	"github.com/immutcheck/immutcheck/load/compose"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/remediate/recreate"
	"github.com/immutcheck/immutcheck/rules"
)

// dockerOptions are the settings of `immutcheck docker`, free of flags.
type dockerOptions struct {
	Filter    docker.Filter
	Expect    []string
	Compose   string
	Output    outputOptions
	Policy    policyFlags
	Remediate bool
	DryRun    bool
	MaxRate   float64
	Watch     bool
	Interval  time.Duration
	Ignore    []string
	Include   []string
}

func newDockerCmd() *cobra.Command {
	var opts dockerOptions
	cmd := &cobra.Command{
		Use:   "docker",
		Short: "Check running containers for drift from their images, and optionally replace them",
		Long: `Docker checks every running container of the Docker Engine (DOCKER_HOST or
the local socket) against its image: the engine's list of changed paths
is read on both sides (the container, and an unstarted container created
from the image ID) and classified as package, account, /etc, permission,
executable or file drift; processes running executables that are not the
image's are foreign-process findings, interactive docker exec shells still
running are exec-session findings and an SSH server is ssh-access. The live
configuration is checked with the declaration rules (image-not-pinned,
writable-root-filesystem, host-path-volume, privileged-instance, ...), and
the running image against --expect references or a compose file
(running-digest-mismatch).

With --remediate, each drifted container is recreated from the same image
digest with the same configuration, started, its healthcheck awaited, and
only then the old one removed; a new container that fails is removed and
the old one restored. --dry-run prints the plan. See docs/docker.md.

` + exitCodesHelp,
		Example: `  immutcheck docker
  immutcheck docker --compose-project shop --compose compose.yaml
  immutcheck docker --name web --expect ghcr.io/acme/web:1.4@sha256:...
  immutcheck docker --remediate --dry-run`,
		Args: cobra.NoArgs,
		RunE: wrap(func(cmd *cobra.Command, _ []string) error {
			return runDocker(cmd.Context(), opts, cmd.OutOrStdout(), cmd.ErrOrStderr())
		}),
	}
	f := cmd.Flags()
	opts.Output.addFlags(f)
	f.StringArrayVar(&opts.Filter.Names, "name", nil, "check only the container with this exact name (repeatable)")
	f.StringArrayVar(&opts.Filter.Labels, "label", nil, "check only containers with this label, key or key=value (repeatable)")
	f.StringVar(&opts.Filter.ComposeProject, "compose-project", "", "check only the containers of this compose project")
	f.StringArrayVar(&opts.Expect, "expect", nil, "declared image: REF for containers of REF's repository, or NAME=REF for one container (repeatable)")
	f.StringVar(&opts.Compose, "compose", "", "compose file declaring the services' images (matched by the com.docker.compose.service label)")
	opts.Policy.addFlags(f, "the current directory")
	opts.Policy.addRegistryFlag(f)
	f.BoolVar(&opts.Remediate, "remediate", false, "recreate drifted containers from the same image digest with the same configuration")
	f.BoolVar(&opts.DryRun, "dry-run", false, "with --remediate: print the plan, change nothing")
	f.StringSliceVar(&opts.Ignore, "ignore", nil, "path or glob to leave out, in addition to the defaults and drift.ignore (repeatable)")
	f.StringSliceVar(&opts.Include, "include", nil, "path to compare although a default ignore covers it (repeatable)")
	f.BoolVar(&opts.Watch, "watch", false, "keep running: re-check a container when it starts or a command is executed in it, and everything every --interval")
	f.DurationVar(&opts.Interval, "interval", 5*time.Minute, "with --watch: re-check every container this often")
	f.Float64Var(&opts.MaxRate, "max-replacements-per-minute", 6, "with --remediate: at most this many containers replaced per minute, one at a time")
	return cmd
}

// runDocker is `immutcheck docker` without flags.
func runDocker(ctx context.Context, opts dockerOptions, stdout, stderr io.Writer) error {
	pol, err := newPolicy(opts.Output, opts.Policy, []string{"."})
	if err != nil {
		return err
	}
	if opts.DryRun && !opts.Remediate {
		return usagef("--dry-run needs --remediate")
	}
	exp, err := expectations(opts)
	if err != nil {
		return err
	}
	cfg := pol.cfg
	ig, err := drift.NewIgnores(append(append([]string(nil), cfg.Drift.Ignore...), opts.Ignore...), append(append([]string(nil), cfg.Drift.Include...), opts.Include...))
	if err != nil {
		return &usageError{err}
	}
	eng, err := docker.Connect(ctx)
	if err != nil {
		return fmt.Errorf("%w (is dockerd running, and may this user use its socket? DOCKER_HOST selects another engine)", err)
	}
	defer eng.Close()
	ck := &docker.Checker{Engine: eng, Ignores: ig}
	defer ck.Close(ctx)
	d := &dockerRound{opts: opts, eng: eng, replacer: eng, ck: ck, pol: pol, exp: exp, stdout: stdout, stderr: stderr}
	if !opts.Watch {
		code, err := d.run(ctx, nil)
		if err != nil {
			return err
		}
		return &exitError{code}
	}
	code := ExitClean
	w := &docker.Watcher{Engine: eng, Interval: opts.Interval, Log: stderr, Check: func(ctx context.Context, ids []string) error {
		c, err := d.run(ctx, ids)
		if err == nil {
			code = c
		}
		return err
	}}
	if err := w.Run(ctx); err != nil {
		return err
	}
	return &exitError{code}
}

// dockerRound is one check of the selected containers: report, verdict
// and, when asked, remediation.
type dockerRound struct {
	opts dockerOptions
	eng  docker.Engine
	// replacer recreates drifted containers (--remediate).
	replacer recreate.Engine
	ck       *docker.Checker
	pol      *policy
	exp      *docker.Expectations
	stdout   io.Writer
	stderr   io.Writer
	// last holds what the latest round that checked each container saw,
	// so a watch round for one container still reports all.
	last map[string]*dockerFacts
}

// dockerFacts are what one check of a container saw: the container as an
// instance, its live configuration as a workload, what was not checked.
type dockerFacts struct {
	instance *model.Instance
	workload *model.Workload
	problems []model.Problem
}

// run checks the selected containers, or only ids when given, and returns
// the exit code of the round.
func (d *dockerRound) run(ctx context.Context, ids []string) (int, error) {
	f := d.opts.Filter
	f.IDs = ids
	cs, err := docker.List(ctx, d.eng, f)
	if err != nil {
		return 0, fmt.Errorf("%w: %w", docker.ErrUnreachable, err)
	}
	var drifted []*docker.Result
	if ids == nil || d.last == nil {
		d.last = map[string]*dockerFacts{}
	}
	for _, id := range ids {
		delete(d.last, id) // stopped or removed containers leave the report
	}
	for _, c := range cs {
		res, err := d.ck.Check(ctx, c.ID)
		if err != nil {
			if ctx.Err() != nil {
				return 0, ctx.Err()
			}
			d.last[c.ID] = &dockerFacts{problems: []model.Problem{docker.Unchecked(docker.Name(c.Names), err)}}
			continue
		}
		if res.Gone {
			fmt.Fprintf(d.stderr, "immutcheck: container %s was removed during the check\n", res.Name)
			continue
		}
		declared, ok := d.exp.For(&res.Inspect)
		if ok {
			rc, err := docker.Running(ctx, d.eng, &res.Inspect, declared)
			if err != nil {
				return 0, err
			}
			res.Instance.Containers = []model.RunningContainer{rc}
		}
		if res.Drifted() {
			drifted = append(drifted, res)
		}
		d.last[c.ID] = &dockerFacts{instance: res.Instance, workload: docker.Workload(&res.Inspect, declared), problems: res.Problems}
	}
	file := &model.File{Path: "docker", Format: "docker"}
	for _, fs := range d.last {
		if fs.instance != nil {
			file.Instances = append(file.Instances, fs.instance)
			file.Workloads = append(file.Workloads, fs.workload)
		}
		file.Problems = append(file.Problems, fs.problems...)
	}
	code, err := d.pol.report(rules.Declarations|rules.Containers, d.pol.ev.Evaluate(file), len(d.last), d.stdout)
	if err != nil {
		return 0, err
	}
	if d.opts.Remediate {
		if err := remediateAll(ctx, d.replacer, drifted, d.opts, d.stderr); err != nil {
			return 0, err
		}
	}
	return code, nil
}

// expectations collects --expect references and the compose file's images.
func expectations(opts dockerOptions) (*docker.Expectations, error) {
	exp := &docker.Expectations{}
	for _, v := range opts.Expect {
		if err := exp.Expect(v); err != nil {
			return nil, &usageError{err}
		}
	}
	if opts.Compose == "" {
		return exp, nil
	}
	data, err := readBounded(opts.Compose, 16<<20)
	if err != nil {
		return nil, &usageError{fmt.Errorf("--compose: %w", err)}
	}
	f := compose.Load(opts.Compose, data)
	for _, p := range f.Problems {
		if p.Kind == model.Rejected {
			return nil, &usageError{fmt.Errorf("--compose %s: %v", opts.Compose, p.Err)}
		}
	}
	exp.ByService = map[string]model.Artifact{}
	for _, w := range f.Workloads {
		for _, c := range w.Containers {
			exp.ByService[w.Name] = c.Image
		}
	}
	return exp, nil
}

// readBounded reads a file of at most max bytes.
func readBounded(path string, max int64) ([]byte, error) {
	fh, _, err := regfile.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, errors.New("file larger than 16 MiB")
	}
	return b, nil
}

// remediateAll replaces drifted containers one at a time, or with
// --dry-run prints what it would do. A replacement that fails was rolled
// back; it makes the run exit 3 after the others were tried.
func remediateAll(ctx context.Context, eng recreate.Engine, drifted []*docker.Result, opts dockerOptions, stderr io.Writer) error {
	if opts.MaxRate <= 0 {
		return usagef("--max-replacements-per-minute must be positive")
	}
	rm := &recreate.Remediator{Engine: eng, Log: stderr, Gap: time.Duration(float64(time.Minute) / opts.MaxRate)}
	var failed []string
	for _, res := range drifted {
		if opts.DryRun {
			spec, err := recreate.SpecOf(&res.Inspect)
			if err != nil {
				return fmt.Errorf("plan replacement of %s: %w", res.Name, err)
			}
			fmt.Fprintf(stderr, "dry run: would %s\n", spec.Describe())
			continue
		}
		if _, err := rm.Replace(ctx, &res.Inspect); err != nil {
			fmt.Fprintf(stderr, "immutcheck: %v\n", err)
			failed = append(failed, res.Name)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("could not replace %d container(s): %s", len(failed), strings.Join(failed, ", "))
	}
	return nil
}
