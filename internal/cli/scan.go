package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/immutcheck/immutcheck/config"
	"github.com/immutcheck/immutcheck/load"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/registry"
	"github.com/immutcheck/immutcheck/rules"
	"github.com/immutcheck/immutcheck/scan"
)

// scanOptions are the scan command's settings, free of flags.
type scanOptions struct {
	Paths  []string
	Output outputOptions
	// Policy names the config file ("" searches upward from the first
	// path), the disabled rules and the allowed registries.
	Policy     policyFlags
	Exclude    []string
	HelmValues []string
	HelmSet    []string
	Jobs       int
	AllowEmpty bool
	// VerifyRegistry verifies every image found against its registry.
	VerifyRegistry bool
	Registry       registryFlags
	Stdin          io.Reader
}

func newScanCmd(stdin io.Reader) *cobra.Command {
	opts := scanOptions{Stdin: stdin}
	cmd := &cobra.Command{
		Use:   "scan [PATH...]",
		Short: "Check declarations (manifests, charts, Dockerfiles, compose files) before they ship",
		Long: `Scan checks declarations for immutability before they ship and prints what
breaks it, grouped by rule group, with file:line and a one-line fix.

PATH may be a file, a directory (searched recursively; a directory with
Chart.yaml is rendered as a Helm chart, one with kustomization.yaml is built
with Kustomize) or "-" for standard input. The default is the current
directory.

Configuration is read from .immutcheck.yaml, searched upward from the first
PATH, or from --config.

` + exitCodesHelp,
		Example: `  immutcheck scan k8s/ Dockerfile compose.yaml
  helm template my-chart | immutcheck scan -
  immutcheck scan --format sarif --output immutcheck.sarif .`,
		RunE: wrap(func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if len(opts.Paths) == 0 {
				opts.Paths = []string{"."}
			}
			return runScan(cmd.Context(), opts, cmd.OutOrStdout(), cmd.ErrOrStderr())
		}),
	}
	f := cmd.Flags()
	opts.Output.addFlags(f)
	opts.Policy.addFlags(f, "the first path")
	opts.Policy.addRegistryFlag(f)
	f.StringSliceVar(&opts.Exclude, "exclude", nil, "skip paths matching this glob (repeatable; ** allowed)")
	f.StringArrayVarP(&opts.HelmValues, "values", "f", nil, "Helm values file for every chart (repeatable)")
	f.StringArrayVar(&opts.HelmSet, "set", nil, "Helm value override key=value for every chart (repeatable)")
	f.BoolVar(&opts.VerifyRegistry, "registry", false, "also verify every image the declarations name against its registry: digest, signature, attestations (see 'immutcheck image verify')")
	opts.Registry.addFlags(cmd)
	f.BoolVar(&opts.AllowEmpty, "allow-empty", false, "exit 0 when the paths hold no declarations (default: exit 3, nothing was checked)")
	f.IntVar(&opts.Jobs, "jobs", 0, "inputs loaded in parallel (default: number of CPUs)")
	return cmd
}

// runScan is the scan command without flags.
func runScan(ctx context.Context, opts scanOptions, stdout, stderr io.Writer) error {
	tuneGC()
	pol, err := newPolicy(opts.Output, opts.Policy, opts.Paths)
	if err != nil {
		return err
	}
	cfg, ev := pol.cfg, pol.ev
	exclude, err := cfg.Excluder(opts.Exclude)
	if err != nil {
		return &usageError{err}
	}
	lo := load.Options{
		Limits:     limitsFrom(cfg),
		HelmValues: append(append([]string(nil), cfg.Helm.Values...), opts.HelmValues...),
		HelmSet:    append(append([]string(nil), cfg.Helm.Set...), opts.HelmSet...),
		Exclude:    exclude,
		Stdin:      opts.Stdin,
		HelmBound:  helmBound(),
	}
	prog := newProgress(stderr)
	so := scan.Options{Paths: opts.Paths, Load: lo, Jobs: opts.Jobs, Progress: prog.update}
	var (
		mu   sync.Mutex
		arts []model.Artifact
	)
	if opts.VerifyRegistry {
		so.Visit = func(f *model.File) {
			a := registry.ArtifactsOf(f)
			mu.Lock()
			arts = append(arts, a...)
			mu.Unlock()
		}
	}
	res, err := scan.Run(ctx, so, ev)
	prog.done()
	if err != nil {
		return fmt.Errorf("scan: %w", err)
	}
	provided := rules.Declarations
	if opts.VerifyRegistry {
		provided |= rules.Images
		flags := opts.Registry
		flags.AllowedRegistries = append(flags.AllowedRegistries, opts.Policy.AllowedRegistries...)
		found, err := verifyRegistry(ctx, pol, flags, arts, stderr)
		if err != nil {
			return err
		}
		res.Findings = append(res.Findings, found...)
	}
	code, err := pol.report(provided, res.Findings, res.Files, stdout)
	if err != nil {
		return err
	}
	if res.Files == 0 && !opts.AllowEmpty {
		// Nothing was checked: a CI job pointed at the wrong directory must
		// not pass.
		return fmt.Errorf("no declarations found in %s (use --allow-empty if that is expected)", strings.Join(opts.Paths, ", "))
	}
	return &exitError{code}
}

// loadConfig reads the named config, or the one found upward from the first
// path; no file gives the defaults.
func loadConfig(path string, paths []string) (*config.Config, error) {
	if path == "" && len(paths) > 0 && paths[0] != "-" {
		found, err := config.Find(paths[0])
		if err != nil {
			return nil, &usageError{fmt.Errorf("find config: %w", err)}
		}
		path = found
	}
	if path == "" {
		return &config.Config{}, nil
	}
	cfg, err := config.Read(path)
	if err != nil {
		return nil, &usageError{err}
	}
	return cfg, nil
}

// settingsFrom merges the config with flags. Flags win for fail-on; lists
// add up.
func settingsFrom(cfg *config.Config, failOnFlag string, disable, registries []string) (rules.Settings, rules.Severity, error) {
	failOn := rules.High
	for _, s := range []string{cfg.FailOn, failOnFlag} {
		if s == "" {
			continue
		}
		sev, err := rules.ParseSeverity(s)
		if err != nil {
			return rules.Settings{}, 0, usagef("fail-on: %v", err)
		}
		failOn = sev
	}
	st := rules.Settings{
		Disabled: append(append([]string(nil), cfg.Rules.Disable...), disable...),
		Severity: map[string]rules.Severity{},
		Options: rules.Options{
			AllowedRegistries: append(append([]string(nil), cfg.AllowedRegistries...), registries...),
			InstanceTypes:     cfg.InstanceTypes,
			SSHPorts:          cfg.SSHPorts,
		},
	}
	for _, p := range cfg.SSHPorts {
		if p < 1 || p > 65535 {
			return rules.Settings{}, 0, usagef("config %s: ssh-ports: %d is not a port", cfg.Path, p)
		}
	}
	for id, s := range cfg.Rules.Severity {
		sev, err := rules.ParseSeverity(s)
		if err != nil || sev == rules.None {
			return rules.Settings{}, 0, usagef("config %s: severity of %s: %q is not a severity", cfg.Path, id, s)
		}
		st.Severity[id] = sev
	}
	return st, failOn, nil
}

func limitsFrom(cfg *config.Config) load.Limits {
	l := load.DefaultLimits()
	if v := cfg.Limits.MaxFileBytes; v > 0 {
		l.MaxFileBytes = v
	}
	if v := cfg.Limits.MaxObjectBytes; v > 0 {
		l.MaxObjectBytes = v
	}
	if v := cfg.Limits.MaxDocuments; v > 0 {
		l.MaxDocuments = v
	}
	return l
}

// progress prints "scanned N inputs" on a terminal, at most every 200 ms.
type progress struct {
	w    io.Writer
	last time.Time
	n    int
}

func newProgress(stderr io.Writer) *progress {
	if !isTerminal(stderr) {
		return &progress{}
	}
	return &progress{w: stderr}
}

func (p *progress) update(n int) {
	p.n = n
	if p.w == nil || time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\rscanned %d inputs", n)
}

func (p *progress) done() {
	if p.w != nil && !p.last.IsZero() {
		fmt.Fprintf(p.w, "\rscanned %d inputs\n", p.n)
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminalFd(f.Fd())
}

// tuneGC trades memory for CPU during a scan: parsing allocates fast while
// the live heap stays small (each file is dropped once checked), so the
// default GOGC=100 collects very often. GOGC=400 with a 1 GiB soft limit
// cut the CPU of a 10,000-file scan by about a quarter (docs/benchmarks.md).
// GOGC and GOMEMLIMIT set by the user win.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(1 << 30)
	}
}
