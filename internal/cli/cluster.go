package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/go-logr/logr"
	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/klog/v2"

	"github.com/immutcheck/immutcheck/internal/regfile"
	"github.com/immutcheck/immutcheck/live/cluster"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// clusterOptions are the settings of `immutcheck cluster`, free of flags.
type clusterOptions struct {
	Connect       cluster.ConnectOptions
	Namespace     string
	AllNamespaces bool
	Selector      string
	ChunkSize     int64
	MaxAge        time.Duration
	PoolLabels    []string
	AuditLog      string
	AuditSince    time.Duration
	AllowEmpty    bool

	Output outputOptions
	// Policy names the config file ("" searches upward from the current
	// directory), the disabled rules and the allowed registries.
	Policy policyFlags

	// VerifyRegistry and RollbackRevisions drive rollback-image-missing;
	// Registry holds the verification flags shared with scan.
	VerifyRegistry    bool
	RollbackRevisions int
	Registry          registryFlags

	Remediate remediateOptions
}

func newClusterCmd() *cobra.Command {
	var opts clusterOptions
	cmd := &cobra.Command{
		Use:   "cluster",
		Short: "Check a live Kubernetes cluster: running pods against their declarations, and the live templates",
		Long: `Cluster reads a live Kubernetes cluster through its API server and checks
what runs against what is declared. It lists (every page) Pods,
ReplicaSets, Deployments, StatefulSets, DaemonSets, Jobs, CronJobs,
ControllerRevisions and Nodes, then

  - runs every static rule on the live pod templates (image-not-pinned,
    unmanaged-instance for naked pods, no-revision-history, ...);
  - compares each running pod with its owner's template
    (running-digest-mismatch, replica-digest-skew, pod-modified-in-place,
    ephemeral-container), nodes of one pool with each other
    (node-image-skew), and pod ages with --max-age (instance-too-old);
  - with --audit-log, reports exec, attach and debug sessions
    (exec-session); with --registry, images of previous revisions that no
    longer resolve (rollback-image-missing).

The cluster is chosen as kubectl chooses it: --kubeconfig, else KUBECONFIG,
else ~/.kube/config, else the in-cluster service account; --context picks a
context. Like kubectl, the audit covers the context's namespace unless
--namespace or --all-namespaces says otherwise. A collection the
credentials may not list is reported as cluster-unchecked (exit 3), never
as clean; docs/cluster.md gives the read-only ClusterRole the audit needs.

With --remediate, pods that drifted are evicted through the Eviction API
so their controllers replace them from the declared template (--dry-run
prints the plan).

` + exitCodesHelp,
		Example: `  immutcheck cluster -A
  immutcheck cluster -n shop -l app=web --format sarif -o cluster.sarif
  immutcheck cluster --context prod -A --max-age 168h --audit-log /var/log/kubernetes/audit.log
  immutcheck cluster -A --remediate --dry-run`,
		Args: cobra.NoArgs,
		RunE: wrap(func(cmd *cobra.Command, _ []string) error {
			return runCluster(cmd.Context(), opts, cmd.OutOrStdout(), cmd.ErrOrStderr())
		}),
	}
	f := cmd.Flags()
	opts.Output.addFlags(f)
	f.StringVar(&opts.Connect.Kubeconfig, "kubeconfig", "", "kubeconfig file (default: KUBECONFIG, ~/.kube/config, or the in-cluster service account)")
	f.StringVar(&opts.Connect.Context, "context", "", "kubeconfig context (default: the current context)")
	f.StringVarP(&opts.Namespace, "namespace", "n", "", "check this namespace (default: the context's namespace)")
	f.BoolVarP(&opts.AllNamespaces, "all-namespaces", "A", false, "check every namespace")
	f.StringVarP(&opts.Selector, "selector", "l", "", "check only pods and workloads matching this label selector (nodes are always checked)")
	f.Int64Var(&opts.ChunkSize, "chunk-size", cluster.DefaultPageSize, "objects per list request (pages)")
	f.DurationVar(&opts.MaxAge, "max-age", 0, "report pods older than this (instance-too-old), e.g. 168h; 0 turns it off")
	f.StringArrayVar(&opts.PoolLabels, "node-pool-label", nil, "node label that groups nodes into pools for node-image-skew, tried in order (repeatable; default: common node-pool and instance-type labels)")
	f.StringVar(&opts.AuditLog, "audit-log", "", "Kubernetes API audit log (JSON lines, may be gzipped) to read exec, attach and debug sessions from")
	f.DurationVar(&opts.AuditSince, "audit-since", 0, "with --audit-log: only sessions younger than this, e.g. 24h (default: all)")
	f.BoolVar(&opts.AllowEmpty, "allow-empty", false, "exit 0 when the namespace holds no pods or workloads (default: exit 3, nothing was checked)")
	opts.Policy.addFlags(f, "the current directory")
	opts.Policy.addRegistryFlag(f)
	f.BoolVar(&opts.VerifyRegistry, "registry", false, "resolve the images of previous revisions in their registries (rollback-image-missing)")
	f.IntVar(&opts.RollbackRevisions, "rollback-revisions", 0, "with --registry: previous revisions checked per workload (default: the config's registry previous-revisions, else 1)")
	opts.Registry.addFlags(cmd)
	opts.Remediate.addFlags(f)
	return cmd
}

// runCluster is `immutcheck cluster` without flags.
func runCluster(ctx context.Context, opts clusterOptions, stdout, stderr io.Writer) error {
	// client-go logs through klog to stderr; what matters is returned.
	klog.SetLogger(logr.Discard())
	if err := opts.Output.validate(); err != nil {
		return err
	}
	if opts.Namespace != "" && opts.AllNamespaces {
		return usagef("--namespace and --all-namespaces exclude each other")
	}
	if _, err := labels.Parse(opts.Selector); err != nil {
		return usagef("--selector: %v", err)
	}
	if opts.ChunkSize < 1 {
		return usagef("--chunk-size must be positive")
	}
	if opts.MaxAge < 0 || opts.AuditSince < 0 {
		return usagef("--max-age and --audit-since must not be negative")
	}
	if opts.RollbackRevisions != 0 && !opts.VerifyRegistry {
		return usagef("--rollback-revisions needs --registry")
	}
	pol, err := clusterPolicy(opts)
	if err != nil {
		return err
	}
	if err := opts.Remediate.validate(); err != nil {
		return err
	}
	rb, err := newRollbackOptions(pol.cfg, opts.Registry, opts.VerifyRegistry, opts.RollbackRevisions)
	if err != nil {
		return err
	}
	opts.Connect.Version = toolVersion()
	conn, err := cluster.Connect(opts.Connect)
	if err != nil {
		return &usageError{err}
	}
	scope := cluster.Scope{Namespace: opts.Namespace, LabelSelector: opts.Selector, Limit: opts.ChunkSize}
	if scope.Namespace == "" && !opts.AllNamespaces {
		scope.Namespace = conn.Namespace
	}
	prog := newListProgress(stderr)
	scope.Progress = prog.update
	s, err := cluster.List(ctx, conn.Client, scope)
	prog.done()
	if err != nil {
		if errors.Is(err, cluster.ErrUnreachable) {
			return fmt.Errorf("cannot reach the Kubernetes API server at %s (check --kubeconfig and --context): %w", conn.Server, err)
		}
		return fmt.Errorf("cluster at %s: %w", conn.Server, err)
	}
	findings, err := clusterFindings(ctx, s, pol, opts, scope, rb)
	if err != nil {
		return err
	}
	provided := rules.Declarations | rules.Pods
	if opts.VerifyRegistry {
		provided |= rules.Images
	}
	code, err := pol.report(provided, findings, objectCount(s), stdout)
	if err != nil {
		return err
	}
	if workloadCount(s) == 0 && !opts.AllowEmpty {
		// A mistyped namespace or selector must not pass.
		where := "in namespace " + scope.Namespace
		if scope.Namespace == "" {
			where = "in any namespace"
		}
		if scope.LabelSelector != "" {
			where += " matching " + scope.LabelSelector
		}
		return fmt.Errorf("no pods or workloads %s (use --allow-empty if that is expected)", where)
	}
	if opts.Remediate.Enabled {
		if err := remediate(ctx, conn.Client, s, findings, opts.Remediate, stderr); err != nil {
			// Remediation can raise the exit code, never lower it: a
			// blocked eviction must not hide an unread collection.
			var ee *exitError
			if !errors.As(err, &ee) {
				return err
			}
			code = max(code, ee.code)
		}
	}
	return &exitError{code}
}

// clusterPolicy is the run's policy, with --max-age for instance-too-old.
func clusterPolicy(opts clusterOptions) (*policy, error) {
	pol, err := newPolicy(opts.Output, opts.Policy, []string{"."})
	if err != nil {
		return nil, err
	}
	if opts.MaxAge == 0 {
		return pol, nil
	}
	if err := pol.setOptions(func(o *rules.Options) { o.MaxAge = opts.MaxAge }); err != nil {
		return nil, err
	}
	return pol, nil
}

// clusterFindings judges the snapshot with the catalog in one evaluation:
// the static rules on the live templates, the live rules on the running
// pods and nodes and on the sessions of the audit log when asked, and
// cluster-unchecked on what could not be read. The images of previous
// revisions are checked against their registries when asked.
func clusterFindings(ctx context.Context, s *cluster.Snapshot, pol *policy, opts clusterOptions, scope cluster.Scope, rb rollbackOptions) ([]rules.Finding, error) {
	f := cluster.File(s, cluster.Options{Now: s.Started, PoolLabels: opts.PoolLabels})
	if opts.AuditLog != "" {
		ins, err := readAuditLog(ctx, opts.AuditLog, scope.Namespace, opts.AuditSince, s.Started)
		if err != nil {
			return nil, err
		}
		f.Instances = append(f.Instances, ins...)
	}
	imgs, problems := checkRollbackImages(ctx, s, rb)
	f.Images = append(f.Images, imgs...)
	f.Problems = append(f.Problems, problems...)
	return pol.ev.Evaluate(f), nil
}

// readAuditLog reads the pods a Kubernetes audit log names with their
// exec, attach and debug sessions, keeping the sessions in namespace (""
// for all) since --audit-since.
func readAuditLog(ctx context.Context, path, namespace string, since time.Duration, now time.Time) ([]*model.Instance, error) {
	f, _, err := regfile.Open(path)
	if err != nil {
		return nil, usagef("--audit-log: %v", err)
	}
	defer f.Close()
	return cluster.ReadAuditLog(ctx, path, f, cluster.AuditOptions{Since: sinceTime(since, now), Namespace: namespace})
}

// sinceTime is the time --audit-since reaches back to; zero means all.
func sinceTime(since time.Duration, now time.Time) time.Time {
	if since == 0 {
		return time.Time{}
	}
	return now.Add(-since)
}

// workloadCount is the number of pods and workload objects an audit read.
func workloadCount(s *cluster.Snapshot) int {
	return len(s.Pods) + len(s.ReplicaSets) + len(s.Deployments) + len(s.StatefulSets) + len(s.DaemonSets) +
		len(s.Jobs) + len(s.CronJobs)
}

// objectCount is the number of objects an audit read, the report's count
// of inputs.
func objectCount(s *cluster.Snapshot) int {
	return workloadCount(s) + len(s.ControllerRevisions) + len(s.Nodes)
}
