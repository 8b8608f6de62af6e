//go:build unix

package kustomize

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestFIFONotOpened checks that a FIFO named as a resource is refused
// rather than opened, which would block until a writer appears.
func TestFIFONotOpened(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte("resources:\n  - pipe.yaml\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	f := Load(t.Context(), dir, Options{})
	if len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Err.Error(), "not a regular file") {
		t.Fatalf("problems = %v, want not a regular file", f.Problems)
	}
}
