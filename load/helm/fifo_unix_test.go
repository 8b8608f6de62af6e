//go:build unix

package helm

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestFIFONotOpened checks that a FIFO in a chart is refused, not read:
// opening it for reading would block until a writer appears.
func TestFIFONotOpened(t *testing.T) {
	t.Parallel()
	dir := writeChart(t, map[string]string{"Chart.yaml": minimalChart, "templates/cm.yaml": configMap})
	if err := syscall.Mkfifo(filepath.Join(dir, "templates", "pipe.yaml"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	symlink(t, "pipe.yaml", filepath.Join(dir, "templates", "link.yaml"))
	_, _, err := render(t.Context(), dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("err = %v, want not a regular file", err)
	}
}
