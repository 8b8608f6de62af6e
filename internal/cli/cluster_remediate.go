package cli

import (
	"context"
	"io"

	"github.com/spf13/pflag"
	"k8s.io/client-go/kubernetes"

	"github.com/immutcheck/immutcheck/live/cluster"
	"github.com/immutcheck/immutcheck/rules"
)

// remediateOptions are the flags of `immutcheck cluster --remediate`.
//
// TODO(eviction): being implemented.
type remediateOptions struct {
	Enabled bool
	DryRun  bool
}

func (o *remediateOptions) addFlags(f *pflag.FlagSet) {
	f.BoolVar(&o.Enabled, "remediate", false, "evict drifted pods through the Eviction API so their controllers replace them")
	f.BoolVar(&o.DryRun, "dry-run", false, "with --remediate: print the plan, evict nothing")
}

// remediate evicts the pods that findings flag, per o; it writes what it
// does to w.
func remediate(ctx context.Context, c kubernetes.Interface, s *cluster.Snapshot, findings []rules.Finding, o remediateOptions, w io.Writer) error {
	return nil
}
