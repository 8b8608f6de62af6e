package cli

import (
	"context"

	"github.com/immutcheck/immutcheck/live/cluster"
	"github.com/immutcheck/immutcheck/rules"
)

// rollbackOptions are the flags of `immutcheck cluster` for
// rollback-image-missing.
//
// TODO(live rules): being implemented.
type rollbackOptions struct {
	// Registry turns on resolving images in their registries.
	Registry bool
	// Revisions is how many previous revisions per workload are checked.
	Revisions int
}

// checkRollbackImages resolves the images of the previous revisions of
// every workload in the snapshot and reports those no longer resolvable.
func checkRollbackImages(ctx context.Context, s *cluster.Snapshot, o rollbackOptions) []rules.Finding {
	return nil
}
