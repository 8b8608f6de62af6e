package evict

import "time"

// Defaults of Options. They bound the blast radius of one run: a
// remediation run replaces a handful of drifted pods, never a namespace,
// and waits out PodDisruptionBudgets the way kubectl drain does (a retry
// every 5 s).
const (
	// DefaultMaxEvictions is the number of pods one run evicts at most.
	DefaultMaxEvictions = 20
	// DefaultMaxEvictionsPerNamespace is the number of pods one run
	// evicts at most in any one namespace.
	DefaultMaxEvictionsPerNamespace = 5
	// DefaultEvictionTimeout is how long one eviction is retried while a
	// PodDisruptionBudget refuses it, and how long a replacement may take
	// to become ready before the next pod of the same owner is evicted.
	DefaultEvictionTimeout = 2 * time.Minute
	// DefaultEvictionRetry is the pause between retries of an eviction a
	// PodDisruptionBudget refused (the API gives no Retry-After for it).
	DefaultEvictionRetry = 5 * time.Second
	// DefaultEvictionInterval is the pause between two evictions: at most
	// 60 a minute.
	DefaultEvictionInterval = time.Second
)

// Options are the settings of NewPlan and Run. Zero values
// mean the defaults above.
type Options struct {
	// IncludeSystem allows evicting pods in kube-system.
	IncludeSystem bool
	// MaxTotal caps the evictions of one run.
	MaxTotal int
	// MaxPerNamespace caps the evictions of one run in one namespace.
	MaxPerNamespace int
	// Timeout bounds the retries of one eviction refused by a
	// PodDisruptionBudget (or throttled), and the wait for a ready
	// replacement.
	Timeout time.Duration
	// RetryInterval is the pause between retries of a refused eviction.
	RetryInterval time.Duration
	// Interval is the pause between two evictions.
	Interval time.Duration
	// NoWait evicts the next pod of an owner without waiting for the
	// replacement of the previous one to be ready. Unsafe for owners
	// without a PodDisruptionBudget: all their drifted replicas may go
	// down at once.
	NoWait bool
}

// withDefaults returns o with every zero value replaced by its default.
func (o Options) withDefaults() Options {
	if o.MaxTotal <= 0 {
		o.MaxTotal = DefaultMaxEvictions
	}
	if o.MaxPerNamespace <= 0 {
		o.MaxPerNamespace = DefaultMaxEvictionsPerNamespace
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultEvictionTimeout
	}
	if o.RetryInterval <= 0 {
		o.RetryInterval = DefaultEvictionRetry
	}
	if o.Interval <= 0 {
		o.Interval = DefaultEvictionInterval
	}
	return o
}
