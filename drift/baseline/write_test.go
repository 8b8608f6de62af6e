package baseline

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"errors"

	"github.com/immutcheck/immutcheck/internal/e2e"
)

// TestWriteRefusesPlantedLinks (RELIABILITY F28): an output path that is a
// symlink or FIFO is refused; the link's target is never written.
func TestWriteRefusesPlantedLinks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	target := filepath.Join(dir, "victim")
	os.WriteFile(target, []byte("keep"), 0o600)
	link := filepath.Join(dir, "out.baseline")
	os.Symlink(target, link)
	if err := WriteFile(link, []byte("new"), 0o644); err == nil {
		t.Error("wrote through a symlink")
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("victim changed to %q", b)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(fifo, []byte("new"), 0o644); err == nil {
		t.Error("wrote to a fifo")
	}
	if _, err := ReadFile(link, 100); err == nil {
		t.Error("read through a symlink")
	}
	if _, err := ReadFile(fifo, 100); err == nil {
		t.Error("read a fifo")
	}
}

func TestWriteReplaces(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "b")
	for _, s := range []string{"one", "two"} {
		if err := WriteFile(p, []byte(s), 0o640); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(p); string(b) != s {
			t.Fatalf("content %q, want %q", b, s)
		}
	}
	fi, _ := os.Stat(p)
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v", fi.Mode())
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Errorf("left temporary files: %v", entries)
	}
}

// TestWriteDiskFull (RELIABILITY F24): on a full filesystem the previous
// baseline stays intact and loadable, no temporary file is left, and the
// error names ENOSPC.
func TestWriteDiskFull(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		e2e.Missing(t, "root privileges to mount a tmpfs", "run the tests as root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1M", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Fatalf("mount tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	p := filepath.Join(dir, "host.baseline")
	old := encode(t, Header{Generation: 1}, sample())
	if err := WriteFile(p, old, 0o644); err != nil {
		t.Fatal(err)
	}
	big := bytes.Repeat([]byte{0xAB}, 2<<20)
	err := WriteFile(p, big, 0o644)
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("WriteFile on a full disk = %v, want ENOSPC", err)
	}
	got, _ := os.ReadFile(p)
	if !bytes.Equal(got, old) {
		t.Fatal("previous baseline changed")
	}
	if _, _, err := Decode(got); err != nil {
		t.Fatalf("previous baseline no longer loads: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left temporary files: %v", entries)
	}
}
