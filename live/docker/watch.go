package docker

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/docker/docker/api/types/events"
	"github.com/docker/docker/api/types/filters"
)

// Watcher re-checks containers when the engine reports that one started or
// that a command was executed in one, and on an interval. When the event
// stream breaks (the daemon restarted), it reconnects with exponential
// backoff, asks for the events since the last one it saw (a second of
// overlap: checks are idempotent), and re-checks everything, because
// events may have been lost.
type Watcher struct {
	Engine   Engine
	Interval time.Duration
	// Check checks the given container IDs, or every container when ids is
	// nil.
	Check func(ctx context.Context, ids []string) error
	Log   io.Writer
	// MinBackoff is the first reconnection delay (default 1 s), doubled up
	// to MaxBackoff (default 30 s).
	MinBackoff, MaxBackoff time.Duration
}

// Run watches until ctx is done. It starts with a check of everything.
func (w *Watcher) Run(ctx context.Context) error {
	if err := w.Check(ctx, nil); err != nil {
		return err
	}
	maxB := w.MaxBackoff
	if maxB <= 0 {
		maxB = 30 * time.Second
	}
	interval := w.Interval
	if interval <= 0 {
		interval = 5 * time.Minute
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	minB := w.MinBackoff
	if minB <= 0 {
		minB = time.Second
	}
	last := time.Now()
	backoff := minB
	for {
		sub, cancel := context.WithCancel(ctx)
		msgs, errs := w.Engine.Events(sub, events.ListOptions{
			Since:   fmt.Sprintf("%d", last.Add(-time.Second).Unix()),
			Filters: filters.NewArgs(filters.Arg("type", "container")),
		})
		err := w.stream(ctx, msgs, errs, tick.C, &last, &backoff, minB)
		cancel()
		if ctx.Err() != nil {
			return nil
		}
		if err != nil && !isStreamBreak(err) {
			return err
		}
		w.logf("engine event stream broken (%v); reconnecting in %s", err, backoff)
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return nil
		}
		if backoff *= 2; backoff > maxB {
			backoff = maxB
		}
		// Events may have been missed while disconnected: resync.
		if err := w.Check(ctx, nil); err != nil && !isStreamBreak(err) {
			w.logf("re-check after reconnect failed: %v", err)
		}
	}
}

// stream handles events until the stream breaks or ctx is done.
func (w *Watcher) stream(ctx context.Context, msgs <-chan events.Message, errs <-chan error, tick <-chan time.Time, last *time.Time, backoff *time.Duration, minB time.Duration) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-errs:
			if err == nil {
				err = io.EOF
			}
			return err
		case <-tick:
			if err := w.Check(ctx, nil); err != nil {
				return err
			}
		case m := <-msgs:
			*backoff = minB // connected and receiving
			if m.TimeNano > 0 {
				*last = time.Unix(0, m.TimeNano)
			}
			if !relevant(m.Action) || m.Actor.ID == "" {
				continue
			}
			if err := w.Check(ctx, []string{m.Actor.ID}); err != nil {
				return err
			}
		}
	}
}

// relevant are the container events after which a container may differ
// from its image — it (re)started, or a command was executed in it — or
// leaves the set of running containers (it died or was removed).
func relevant(a events.Action) bool {
	s := string(a)
	switch s {
	case "start", "restart", "exec_die", "die", "destroy":
		return true
	}
	return strings.HasPrefix(s, "exec_start")
}

// isStreamBreak reports errors of a broken connection to the engine, after
// which the watch reconnects.
func isStreamBreak(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	for _, w := range []string{"EOF", "connection refused", "connection reset", "Cannot connect", "no such file", "broken pipe", "unreachable"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func (w *Watcher) logf(format string, args ...any) {
	if w.Log != nil {
		fmt.Fprintf(w.Log, "immutcheck: "+format+"\n", args...)
	}
}
