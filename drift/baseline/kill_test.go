package baseline

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestWriteSurvivesSIGKILL (RELIABILITY F25): a process killed at any point
// while replacing a baseline leaves either the complete old or the complete
// new file, which decodes.
func TestWriteSurvivesSIGKILL(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "host.baseline")
	a := encode(t, Header{Generation: 1}, sample())
	b := encode(t, Header{Generation: 2}, sample())
	if err := WriteFile(p, a, 0o644); err != nil {
		t.Fatal(err)
	}
	seen := map[bool]int{}
	for i := range 20 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWriteHelper$")
		cmd.Env = append(os.Environ(), "BASELINE_WRITE_HELPER="+p)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(5+i*3) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, a) && !bytes.Equal(got, b) {
			t.Fatalf("after SIGKILL %d the file is neither version (%d bytes)", i, len(got))
		}
		if _, _, err := Decode(got); err != nil {
			t.Fatalf("after SIGKILL %d: %v", i, err)
		}
		seen[bytes.Equal(got, b)]++
	}
	if seen[true] == 0 {
		t.Error("the helper never replaced the file before being killed; the test proves nothing")
	}
}

// TestWriteHelper is the child of TestWriteSurvivesSIGKILL: it rewrites
// the baseline with two versions in turn until killed.
func TestWriteHelper(t *testing.T) {
	p := os.Getenv("BASELINE_WRITE_HELPER")
	if p == "" {
		t.Skip("helper process only")
	}
	a := encode(t, Header{Generation: 1}, sample())
	b := encode(t, Header{Generation: 2}, sample())
	for i := 0; ; i++ {
		data := a
		if i%2 == 1 {
			data = b
		}
		if err := WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
