package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestConfigNotRegular: a FIFO or device as --config, or found by the
// upward search, is an error at once, never a hang nor a silent default.
func TestConfigNotRegular(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, FileName)
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(fifo); err == nil || !strings.Contains(err.Error(), "not a regular file (a named pipe)") {
		t.Errorf("Read(fifo) = %v", err)
	}
	if _, err := Read("/dev/zero"); err == nil || !strings.Contains(err.Error(), "not a regular file (a character device)") {
		t.Errorf("Read(/dev/zero) = %v", err)
	}
	if p, err := Find(sub); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Find = %q, %v; want an error", p, err)
	}
}
