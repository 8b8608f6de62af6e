package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/drift/baseline"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// driftOptions are the drift command's settings, free of flags.
type driftOptions struct {
	Root             string
	Baseline         string
	Key              string
	Signature        string
	State            string
	AllowUnsigned    bool
	ExplainIgnores   bool
	Ignore, Include  []string
	CrossFilesystems bool
	Processes        bool
	MaxFileSize      int64
	Fast             bool
	FastCache        string
	Policy           policyFlags
	Output           outputOptions
}

func newDriftCmd() *cobra.Command {
	var opts driftOptions
	cmd := &cobra.Command{
		Use:   "drift --baseline FILE [ROOT]",
		Short: "Compare a live tree (default /) with the signed baseline of its image",
		Long: `Drift compares a live tree with the baseline of the image it was made from
and explains every difference: packages installed, removed or changed
(package-drift), accounts, sudo rules and SSH keys (account-drift), other
/etc changes (etc-drift), permissions and new setuid/setgid bits or file
capabilities (permission-drift), executables outside any package
(executable-drift), other files (file-drift) and, with --processes on a live
host, processes running code that is not the image's (foreign-process).

The baseline must be signed (--key) unless --allow-unsigned is given, which
the report then says. An older signed baseline than one already seen is
refused (--state). Volatile paths are left out; --explain-ignores lists them.
Symlinks are never followed, only one filesystem is walked, and anything that
could not be read makes the result incomplete (exit 3), never clean.

` + exitCodesHelp,
		Example: `  immutcheck drift --baseline /usr/share/immutcheck/host.baseline --key baseline.pub
  immutcheck drift --baseline base.baseline --key cosign.pub --format sarif -o drift.sarif /mnt/host`,
		Args: cobra.MaximumNArgs(1),
		RunE: wrap(func(cmd *cobra.Command, args []string) error {
			opts.Root = "/"
			if len(args) == 1 {
				opts.Root = args[0]
			}
			return runDrift(cmd.Context(), opts, cmd.OutOrStdout(), cmd.ErrOrStderr())
		}),
	}
	f := cmd.Flags()
	opts.Output.addFlags(f)
	f.StringVar(&opts.Baseline, "baseline", "", "baseline file (required unless --explain-ignores)")
	f.StringVar(&opts.Key, "key", "", "public key that signed the baseline (PEM: ed25519, or ECDSA P-256 such as cosign.pub)")
	f.StringVar(&opts.Signature, "signature", "", "signature file (default: the baseline's name plus .sig)")
	f.StringVar(&opts.State, "state", defaultStateFile, `file recording the highest baseline generation seen per key ("" = no rollback check)`)
	f.BoolVar(&opts.AllowUnsigned, "allow-unsigned", false, "UNSAFE: compare with a baseline whose signature is not verified")
	f.BoolVar(&opts.ExplainIgnores, "explain-ignores", false, "list the paths left out and why, then exit")
	f.StringSliceVar(&opts.Ignore, "ignore", nil, "path or glob to leave out, in addition to the defaults (repeatable)")
	f.StringSliceVar(&opts.Include, "include", nil, "path to compare although a default ignore covers it (repeatable)")
	f.BoolVar(&opts.CrossFilesystems, "cross-filesystems", false, "descend into other filesystems mounted below ROOT")
	f.BoolVar(&opts.Processes, "processes", false, "also check the executables of running processes (foreign-process)")
	f.BoolVar(&opts.Fast, "fast", false, "skip hashing files whose device, inode, size, mode, owner, mtime and ctime match the last check (trusts ctime and the cache file; see docs/drift.md)")
	f.StringVar(&opts.FastCache, "fast-cache", defaultFastCache, "cache file of --fast")
	f.Int64Var(&opts.MaxFileSize, "max-file-size", 0, "leave regular files larger than this unhashed, making the result incomplete (0 = no limit)")
	opts.Policy.addFlags(f, "the current directory")
	return cmd
}

// runDrift is the drift command without flags.
func runDrift(ctx context.Context, opts driftOptions, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(opts.Policy.ConfigPath, []string{"."})
	if err != nil {
		return err
	}
	// The config's drift ignores and includes come first; flags add to them.
	ig, err := drift.NewIgnores(append(append([]string(nil), cfg.Drift.Ignore...), opts.Ignore...), append(append([]string(nil), cfg.Drift.Include...), opts.Include...))
	if err != nil {
		return &usageError{err}
	}
	if opts.ExplainIgnores {
		return explainIgnores(ig, stdout)
	}
	if opts.Baseline == "" {
		return usagef("--baseline is required")
	}
	pol, err := newPolicy(opts.Output, opts.Policy, []string{"."})
	if err != nil {
		return err
	}
	lo := baseline.LoadOptions{SignatureFile: opts.Signature, AllowUnsigned: opts.AllowUnsigned, StateFile: opts.State}
	if opts.Key != "" {
		if lo.Verifier, err = loadVerifier(opts.Key); err != nil {
			return err
		}
	}
	b, err := baseline.Open(opts.Baseline, lo)
	if err != nil {
		return fmt.Errorf("baseline %s not used: %w", filepath.Base(opts.Baseline), err)
	}
	defer b.Reader.Close()
	var fastFiles *fastCacheFiles
	wo := drift.WalkOptions{Ignores: ig, CrossFilesystems: opts.CrossFilesystems, MaxFileSize: opts.MaxFileSize}
	if opts.Fast {
		if fastFiles, err = openFastCache(opts.FastCache, opts.Root); err != nil {
			return err
		}
		defer fastFiles.close()
		wo.Fast = fastFiles.cache
	}
	// The baseline is decoded as the walk goes: both streams are in Less
	// order, and only the differences are kept.
	merger := drift.NewMerger(b.Reader, ig)
	var wait func()
	wo.Emit, wait = merger.Async()
	prog := newProgress(stderr)
	wo.Progress = prog.update
	live, err := drift.Walk(ctx, opts.Root, wo)
	wait()
	prog.done()
	if err != nil {
		return fmt.Errorf("drift: %w", err)
	}
	if wo.Fast != nil {
		if err := saveFastCache(wo.Fast, fastFiles); err != nil {
			return err
		}
	}
	cmp, err := merger.Finish()
	var base *drift.Snapshot
	if err == nil {
		base, err = b.Reader.Finish()
	}
	if err != nil {
		return fmt.Errorf("baseline %s not used: %w", filepath.Base(opts.Baseline), err)
	}
	cmp.Problems = append(append(cmp.Problems, base.Problems...), live.Problems...)
	host := &model.Instance{Kind: "Host", Subject: "host " + opts.Root, Baseline: &model.BaselineUse{Path: opts.Baseline, Verified: b.Signed}}
	var problems []model.Problem
	host.Changes, problems = drift.Classify(base, live, cmp)
	if opts.Processes {
		procs, unread := drift.Processes("/proc", opts.Root, base)
		host.Processes, problems = procs, append(problems, unread...)
	}
	if !b.Signed {
		fmt.Fprintf(stderr, "immutcheck: WARNING: baseline %s is not signed or its signature was not checked (--allow-unsigned)\n", opts.Baseline)
	}
	findings := pol.ev.Evaluate(&model.File{Path: opts.Root, Instances: []*model.Instance{host}, Problems: problems})
	code, err := pol.report(rules.Containers, findings, live.Count, stdout)
	if err != nil {
		return err
	}
	return &exitError{code}
}

// explainIgnores prints the ignore list in effect.
func explainIgnores(ig *drift.Ignores, w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "IGNORED PATH\tWHY")
	for _, i := range ig.List() {
		fmt.Fprintf(tw, "%s\t%s\n", i.Pattern, i.Reason)
	}
	for _, p := range ig.Includes() {
		fmt.Fprintf(tw, "%s\tcompared although a default ignore covers it (include)\n", p)
	}
	fmt.Fprintln(tw, "\nChange the list with --ignore and --include.")
	return errors.Join(tw.Flush())
}
