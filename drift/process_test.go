package drift

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestForeignProcess starts real processes from a tree: one whose
// executable is in the baseline, one added after the baseline, one deleted
// after start. Only the last two are foreign.
func TestForeignProcess(t *testing.T) {
	t.Parallel()
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep binary")
	}
	root := t.TempDir()
	bin, err := os.ReadFile(sleep)
	must(t, err)
	must(t, os.MkdirAll(root+"/usr/bin", 0o755))
	must(t, os.WriteFile(root+"/usr/bin/sleep", bin, 0o755))
	base := walkT(t, root, WalkOptions{})
	must(t, os.WriteFile(root+"/usr/bin/implant", bin, 0o755))
	must(t, os.WriteFile(root+"/usr/bin/gone", bin, 0o755))
	start := func(p string) {
		cmd := exec.Command(p, "30")
		must(t, cmd.Start())
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
	start(root + "/usr/bin/sleep")
	start(root + "/usr/bin/implant")
	start(root + "/usr/bin/gone")
	time.Sleep(100 * time.Millisecond)
	must(t, os.Remove(root+"/usr/bin/gone"))
	got := map[string]bool{}
	procs, problems := Processes("/proc", root, base)
	for _, f := range Judge(nil, procs, problems) {
		got[filepath.Base(f.Location.File)+" "+f.Rule.ID] = true
	}
	want := map[string]bool{"implant foreign-process": true, "gone foreign-process": true}
	if len(got) != len(want) || !got["implant foreign-process"] || !got["gone foreign-process"] {
		t.Errorf("findings %v, want %v", got, want)
	}
}
