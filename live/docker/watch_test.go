package docker

import (
	"context"
	"io"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/events"
	"github.com/google/go-cmp/cmp"
)

// breakingEvents is an engine whose first event stream delivers one start
// event and then breaks like a restarting daemon; the second stream stays
// open until the watch ends.
type breakingEvents struct {
	Engine
	mu     sync.Mutex
	calls  []events.ListOptions
	second chan struct{}
	at     time.Time
}

func (b *breakingEvents) Events(ctx context.Context, o events.ListOptions) (<-chan events.Message, <-chan error) {
	b.mu.Lock()
	b.calls = append(b.calls, o)
	n := len(b.calls)
	b.mu.Unlock()
	msgs, errs := make(chan events.Message, 1), make(chan error, 1)
	if n == 1 {
		msgs <- events.Message{Type: events.ContainerEventType, Action: events.ActionStart, Actor: events.Actor{ID: "c1"}, TimeNano: b.at.UnixNano()}
		go func() {
			time.Sleep(50 * time.Millisecond)
			errs <- io.ErrUnexpectedEOF
		}()
	} else {
		close(b.second)
	}
	return msgs, errs
}

func TestWatchReconnectsSinceLastEvent(t *testing.T) {
	t.Parallel()
	eng := &breakingEvents{second: make(chan struct{}), at: time.Now().Add(-time.Minute)}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var mu sync.Mutex
	var checks [][]string
	w := &Watcher{Engine: eng, Interval: time.Hour, MinBackoff: 10 * time.Millisecond, Check: func(_ context.Context, ids []string) error {
		mu.Lock()
		defer mu.Unlock()
		checks = append(checks, ids)
		if len(checks) == 3 { // initial, the event, the resync
			go func() { <-eng.second; cancel() }()
		}
		return nil
	}}
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if d := cmp.Diff([][]string{nil, {"c1"}, nil}, checks); d != "" {
		t.Errorf("checks (-want +got):\n%s", d)
	}
	if len(eng.calls) != 2 {
		t.Fatalf("%d event subscriptions, want 2", len(eng.calls))
	}
	since, _ := strconv.ParseInt(eng.calls[1].Since, 10, 64)
	if want := eng.at.Add(-time.Second).Unix(); since != want {
		t.Errorf("reconnected with since=%d, want %d (last event minus overlap)", since, want)
	}
}
