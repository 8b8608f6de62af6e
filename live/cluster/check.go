package cluster

import (
	"time"

	"github.com/immutcheck/immutcheck/rules"
)

// CheckOptions are the settings of the live rules.
type CheckOptions struct {
	// Now is the time ages are measured at; zero means the snapshot's
	// start (and the current time when that is zero too).
	Now time.Time
	// MaxAge is the age over which instance-too-old reports a pod; zero
	// turns the rule off.
	MaxAge time.Duration
	// PoolLabels are the node labels that group nodes into pools, tried
	// in order; empty means DefaultPoolLabels.
	PoolLabels []string
}

// Check runs the live rules on a snapshot: what runs compared with what
// its owners declare. It reports running-digest-mismatch,
// replica-digest-skew, pod-modified-in-place, ephemeral-container,
// node-image-skew, instance-too-old, and cluster-unchecked for collections
// that were not listed and pods whose template should be there but could
// not be found or read (see declaredOf).
//
// The static rules (unmanaged-instance for naked pods, no-revision-history
// and the rest) run on the live templates elsewhere; a pod counts as
// controlled when it has a controller ownerReference, which a static pod's
// mirror has too (its Node): the kubelet recreates it from its manifest
// file, it is not a hand-made instance.
//
// Pods being deleted, finished pods and static pods' mirrors are not
// compared with templates: the first two are leaving, the last has none
// in the API. A pod of an OnDelete DaemonSet or StatefulSet that still
// runs an older revision is not reported: it matches the revision it
// claims, and is an update not yet rolled out rather than drift.
func Check(s *Snapshot, o CheckOptions) []rules.Finding {
	now := o.Now
	if now.IsZero() {
		now = s.Started
	}
	if now.IsZero() {
		now = time.Now()
	}
	pools := o.PoolLabels
	if len(pools) == 0 {
		pools = DefaultPoolLabels
	}
	unread := map[string]bool{}
	for _, u := range s.Unread {
		unread[u.Resource] = true
	}
	out := unreadFindings(s.Unread)
	x := newIndex(s)
	var skew replicaSkew
	for i := range s.Pods {
		p := &s.Pods[i]
		out = append(out, instanceTooOld(p, now, o.MaxAge)...)
		if !active(p) {
			continue
		}
		out = append(out, ephemeralContainers(p)...)
		d, err := x.declaredOf(p)
		if err != nil {
			out = append(out, undeclaredFinding(p, err, unread)...)
			continue
		}
		out = append(out, runningDigestMismatch(x, p, d)...)
		if d != nil {
			out = append(out, podModifiedInPlace(x, p, d)...)
			skew.add(p, d)
		}
	}
	out = append(out, skew.findings()...)
	return append(out, nodeImageSkew(s.Nodes, pools)...)
}
