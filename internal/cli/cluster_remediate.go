package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/pflag"
	"k8s.io/client-go/kubernetes"

	"github.com/immutcheck/immutcheck/live/cluster"
	"github.com/immutcheck/immutcheck/remediate/evict"
	"github.com/immutcheck/immutcheck/rules"
)

// remediateOptions are the flags of `immutcheck cluster --remediate`.
type remediateOptions struct {
	Enabled bool
	DryRun  bool
	// Evict are the eviction settings: caps, timeout, pacing.
	Evict evict.Options
}

func (o *remediateOptions) addFlags(f *pflag.FlagSet) {
	f.BoolVar(&o.Enabled, "remediate", false, "evict drifted pods through the Eviction API so their controllers replace them")
	f.BoolVar(&o.DryRun, "dry-run", false, "with --remediate: print the plan, evict nothing")
	f.IntVar(&o.Evict.MaxTotal, "max-evictions", evict.DefaultMaxEvictions, "with --remediate: evict at most this many pods in one run")
	f.IntVar(&o.Evict.MaxPerNamespace, "max-evictions-per-namespace", evict.DefaultMaxEvictionsPerNamespace,
		"with --remediate: evict at most this many pods per namespace in one run")
	f.DurationVar(&o.Evict.Timeout, "eviction-timeout", evict.DefaultEvictionTimeout,
		"with --remediate: how long to retry an eviction a PodDisruptionBudget refuses, and to wait for a replacement to be ready")
	f.DurationVar(&o.Evict.Interval, "eviction-interval", evict.DefaultEvictionInterval, "with --remediate: pause between two evictions")
	f.BoolVar(&o.Evict.IncludeSystem, "include-system-namespaces", false, "with --remediate: also evict pods in kube-system")
	f.BoolVar(&o.Evict.NoWait, "eviction-no-wait", false,
		"with --remediate: evict the next pod of an owner without waiting for the previous one's replacement to be ready (unsafe without a PodDisruptionBudget)")
}

// validate checks the flags. The command calls it before the audit, so
// that a usage error costs nothing; remediate calls it again for callers
// that did not (and reports --dry-run without --remediate even then).
func (o *remediateOptions) validate() error {
	switch {
	case o.DryRun && !o.Enabled:
		return usagef("--dry-run needs --remediate")
	case o.Evict.MaxTotal < 1:
		return usagef("--max-evictions must be at least 1, not %d", o.Evict.MaxTotal)
	case o.Evict.MaxPerNamespace < 1:
		return usagef("--max-evictions-per-namespace must be at least 1, not %d", o.Evict.MaxPerNamespace)
	case o.Evict.Timeout <= 0:
		return usagef("--eviction-timeout must be positive")
	case o.Evict.Interval < 0:
		return usagef("--eviction-interval must not be negative")
	}
	return nil
}

// remediate evicts the pods that findings flag, per o; it writes the plan
// (with --dry-run) or a line per eviction and a summary to w.
//
// It returns nil when remediation is off, in a dry run, and when every
// planned eviction happened (or its pod was already gone). When some were
// blocked by a PodDisruptionBudget, refused because the pod changed since
// it was checked, or held back because a replacement never became ready,
// it returns an exitError with ExitFindings: the drift remains, the tool
// worked. When the API failed an eviction otherwise (forbidden, server
// error, interrupted), it returns an error, which the CLI reports with
// ExitCouldNotCheck. Pods the plan skips (no controller, caps...) do not
// change the result: their findings stand on their own.
func remediate(ctx context.Context, c kubernetes.Interface, s *cluster.Snapshot, findings []rules.Finding, o remediateOptions, w io.Writer) error {
	if !o.Enabled {
		if o.DryRun {
			return o.validate()
		}
		return nil
	}
	if err := o.validate(); err != nil {
		return err
	}
	if s == nil {
		s = &cluster.Snapshot{}
	}
	plan := evict.NewPlan(s, findings, o.Evict)
	if err := evict.WritePlan(w, plan); err != nil {
		return fmt.Errorf("write remediation plan: %w", err)
	}
	if o.DryRun || len(plan.Evict) == 0 {
		return nil
	}
	start := time.Now()
	outcomes := evict.Run(ctx, c, plan, o.Evict, w)
	counts := map[evict.Result]int{}
	for _, oc := range outcomes {
		counts[oc.Result]++
	}
	fmt.Fprintf(w, "remediation: %d evicted, %d already gone, %d skipped, %d blocked, %d failed in %s\n",
		counts[evict.Evicted], counts[evict.Gone], counts[evict.Skipped], counts[evict.Blocked],
		counts[evict.Failed], time.Since(start).Round(time.Millisecond))
	switch {
	case counts[evict.Failed] > 0:
		return fmt.Errorf("remediation: %d of %d evictions failed", counts[evict.Failed], len(outcomes))
	case counts[evict.Blocked]+counts[evict.Skipped] > 0:
		return &exitError{code: ExitFindings}
	}
	return nil
}
