package load

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNamedInputNotRegular: a FIFO or a device named as an input is
// refused at once instead of blocking in open or reading forever.
func TestNamedInputNotRegular(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "deploy.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, p := range []string{fifo, "/dev/zero"} {
		done := make(chan string, 1)
		go func() {
			var got string
			err := Walk(context.Background(), []string{p}, Options{}, func(in Input) error {
				f := Load(context.Background(), in, Options{Limits: DefaultLimits()})
				if f != nil && len(f.Problems) > 0 {
					got = f.Problems[0].Err.Error()
				}
				return nil
			})
			if err != nil {
				got = err.Error()
			}
			done <- got
		}()
		select {
		case got := <-done:
			if !strings.Contains(got, "not a regular file") {
				t.Errorf("%s: got %q, want not a regular file", p, got)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: blocked", p)
		}
	}
	_ = os.Remove(fifo)
}
