package drift

import (
	"fmt"
	"testing"
	"time"
)

// slowSource yields no entry until release is closed.
type slowSource struct{ release chan struct{} }

func (s *slowSource) Next() (*Entry, error) {
	<-s.release
	return nil, nil
}

// TestMergerAsyncSlowBaseline: when the baseline side is slow, the walk
// fills every batch the merge can hold; the merge still finishes once it
// catches up, with every live entry merged (a full queue of returned
// batches once blocked it forever).
func TestMergerAsyncSlowBaseline(t *testing.T) {
	t.Parallel()
	src := &slowSource{release: make(chan struct{})}
	m := NewMerger(src, nil)
	emit, wait := m.Async()
	go func() {
		time.Sleep(50 * time.Millisecond)
		close(src.release)
	}()
	done := make(chan struct{})
	const n = 40 * mergeBatch
	go func() {
		defer close(done)
		for i := range n {
			emit(&Entry{Path: fmt.Sprintf("/%08d", i), Type: TypeRegular})
		}
		wait()
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the merge did not finish")
	}
	c, err := m.Finish()
	if err != nil || len(c.Changes) != n {
		t.Fatalf("%d changes, %v; want %d added", len(c.Changes), err, n)
	}
}
