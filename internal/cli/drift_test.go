package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// driftFixture is a small tree with a signed baseline of it.
type driftFixture struct {
	dir, root, baseline, pub, key, state string
}

func newDriftFixture(t *testing.T) *driftFixture {
	t.Helper()
	dir := t.TempDir()
	f := &driftFixture{dir: dir, root: filepath.Join(dir, "root"), baseline: filepath.Join(dir, "host.baseline"),
		pub: filepath.Join(dir, "k.pub"), key: filepath.Join(dir, "k.key"), state: filepath.Join(dir, "state.json")}
	for p, c := range map[string]string{"etc/passwd": "root:x:0:0:root:/root:/bin/sh\n", "usr/bin/tool": "#!/bin/sh\n", "var/log/syslog": "boot\n"} {
		os.MkdirAll(filepath.Dir(filepath.Join(f.root, p)), 0o755)
		if err := os.WriteFile(filepath.Join(f.root, p), []byte(c), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	f.run(t, 0, "baseline", "keygen", "--out", filepath.Join(dir, "k"))
	f.run(t, 0, "baseline", "create", f.root, "-o", f.baseline, "--generation", "10", "--sign-key", f.key)
	return f
}

// run runs the CLI and checks its exit code.
func (f *driftFixture) run(t *testing.T, want int, args ...string) (string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	if code := Main(context.Background(), args, strings.NewReader(""), &out, &errb); code != want {
		t.Fatalf("immutcheck %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, want, out.String(), errb.String())
	}
	return out.String(), errb.String()
}

func (f *driftFixture) drift(extra ...string) []string {
	return append([]string{"drift", "--baseline", f.baseline, "--key", f.pub, "--state", f.state}, append(extra, f.root)...)
}

// TestDriftCLI covers the exit codes of drift: clean 0, drift 1, usage 2,
// and 3 for an untrusted, tampered, rolled-back or incomplete check.
func TestDriftCLI(t *testing.T) {
	t.Parallel()
	f := newDriftFixture(t)
	f.run(t, 0, f.drift()...)
	os.WriteFile(filepath.Join(f.root, "var/log/syslog"), []byte("volatile\n"), 0o644) // ignored
	f.run(t, 0, f.drift()...)
	f.run(t, 0, "baseline", "verify", f.baseline, "--key", f.pub)

	os.Chmod(filepath.Join(f.root, "usr/bin/tool"), 0o755|os.ModeSetuid)
	out, _ := f.run(t, 1, f.drift("--format", "json")...)
	var rep struct {
		Findings []struct{ Rule, Severity, Subject string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Findings) != 1 || rep.Findings[0].Rule != "permission-drift" || rep.Findings[0].Severity != "critical" {
		t.Fatalf("report %s (%v), want one critical permission-drift", out, err)
	}
	f.run(t, 0, f.drift("--fail-on", "none")...)
	f.run(t, 0, f.drift("--disable", "permission-drift")...)

	// Usage errors.
	f.run(t, 2, "drift", f.root)
	f.run(t, 2, f.drift("--format", "yaml")...)
	f.run(t, 2, f.drift("--disable", "drift-unchecked")...)

	// Unsigned: refused without a key, reported when allowed.
	f.run(t, 3, "drift", "--baseline", f.baseline, "--state", "", f.root)
	out, errOut := f.run(t, 1, "drift", "--baseline", f.baseline, "--state", "", "--allow-unsigned", f.root)
	if !strings.Contains(out, "unsigned-baseline") || !strings.Contains(errOut, "not signed") {
		t.Errorf("--allow-unsigned not reported:\n%s\n%s", out, errOut)
	}

	// Rollback: a newer baseline is seen, then the older one is refused.
	newer := filepath.Join(f.dir, "newer.baseline")
	f.run(t, 0, "baseline", "create", f.root, "-o", newer, "--generation", "11", "--sign-key", f.key)
	f.run(t, 0, "drift", "--baseline", newer, "--key", f.pub, "--state", f.state, f.root)
	_, errOut = f.run(t, 3, f.drift()...)
	if !strings.Contains(errOut, "rollback") {
		t.Errorf("rollback not named: %s", errOut)
	}

	// Tampered: one byte of the signed baseline changed.
	b, _ := os.ReadFile(newer)
	b[len(b)/2] ^= 1
	os.WriteFile(newer, b, 0o644)
	_, errOut = f.run(t, 3, "drift", "--baseline", newer, "--key", f.pub, "--state", f.state, "--allow-unsigned", f.root)
	if !strings.Contains(errOut, "signature") {
		t.Errorf("tampering not named: %s", errOut)
	}
	f.run(t, 3, "baseline", "verify", newer, "--key", f.pub)
}

// TestDriftCLIFast: --fast finds the same drift from its cache.
func TestDriftCLIFast(t *testing.T) {
	t.Parallel()
	f := newDriftFixture(t)
	cache := filepath.Join(f.dir, "fast")
	f.run(t, 0, f.drift("--fast", "--fast-cache", cache)...)
	f.run(t, 0, f.drift("--fast", "--fast-cache", cache)...)
	os.WriteFile(filepath.Join(f.root, "usr/bin/tool"), []byte("#!/bin/bash\n"), 0o755)
	out, _ := f.run(t, 1, f.drift("--fast", "--fast-cache", cache)...)
	if !strings.Contains(out, "executable-drift") {
		t.Errorf("--fast missed a modified executable:\n%s", out)
	}
}

// TestDriftCLIIncomplete: a file too large to hash makes drift exit 3 even
// though nothing else changed.
func TestDriftCLIIncomplete(t *testing.T) {
	t.Parallel()
	f := newDriftFixture(t)
	out, _ := f.run(t, 3, f.drift("--max-file-size", "5")...)
	if !strings.Contains(out, "drift-unchecked") {
		t.Errorf("unchecked file not reported:\n%s", out)
	}
}
