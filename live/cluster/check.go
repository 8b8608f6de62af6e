package cluster

import (
	"time"

	"github.com/immutcheck/immutcheck/rules"
)

// CheckOptions are the settings of the live rules.
type CheckOptions struct {
	// Now is the time ages are measured at; zero means the snapshot's
	// start.
	Now time.Time
	// MaxAge is the age over which instance-too-old reports a pod; zero
	// turns the rule off.
	MaxAge time.Duration
	// PoolLabels are the node labels that group nodes into pools, tried
	// in order; empty means the built-in list.
	PoolLabels []string
}

// Check runs the live rules on a snapshot: what runs compared with what
// its owners declare.
//
// TODO(live rules): being implemented; returns nothing yet.
func Check(s *Snapshot, o CheckOptions) []rules.Finding {
	return nil
}
