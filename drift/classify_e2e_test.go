package drift_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/drift/baseline"
	"github.com/immutcheck/immutcheck/rules"
)

// TestClassifyRealRootfs mutates a real Debian rootfs the way an operator or
// intruder would — inside a chroot, with dpkg, useradd, chmod and setcap —
// and checks that every change is explained by the right rule.
func TestClassifyRealRootfs(t *testing.T) {
	t.Parallel()
	tarball, root := rootfs(t)
	deb := need(t, "IMMUTCHECK_TEST_DEB", "a real .deb (apt-get download tree)")
	needTool(t, "setcap")
	base := snapshotTar(t, tarball)
	if base.PackageDB != "dpkg" || len(base.Packages) < 50 {
		t.Fatalf("baseline package database %q with %d packages, want dpkg with the minbase set", base.PackageDB, len(base.Packages))
	}

	mutate(t, root, deb)

	live := walk(t, root)
	ig, _ := drift.NewIgnores(nil, nil)
	c := drift.Compare(base, live, ig)
	if c.Incomplete() {
		t.Fatalf("comparison incomplete: %v %v", c.Unchecked, c.Problems)
	}
	got := map[string]rules.Severity{}
	for _, f := range classify(base, live, c) {
		got[f.Rule.ID+" "+f.Subject] = f.Severity
		t.Logf("%s %s %s: %s", f.Rule.ID, f.Severity, f.Subject, f.Message)
		if f.Rule == rules.AccountDrift && strings.Contains(f.Message, "$") {
			t.Errorf("account finding prints a hash: %s", f.Message)
		}
	}
	want := map[string]rules.Severity{
		"package-drift package tree":                  rules.High,
		"package-drift package e2fsprogs":             rules.High,
		"account-drift user alice":                    rules.High,
		"account-drift group alice":                   rules.High,
		"account-drift /root/.ssh/authorized_keys":    rules.High,
		"permission-drift /usr/bin/date":              rules.Critical,
		"permission-drift /usr/bin/env":               rules.Critical,
		"permission-drift /etc/issue":                 rules.Medium,
		"executable-drift /usr/local/bin/backdoor":    rules.High,
		"executable-drift /usr/bin/tail":              rules.High,
		"etc-drift /etc/issue":                        rules.Medium,
		"etc-drift /etc/cron.d/job":                   rules.Medium,
		"etc-drift /etc/os-release":                   rules.Medium,
		"file-drift /usr/share/common-licenses/GPL-3": rules.Low,
		"file-drift /root/.ssh":                       rules.Low,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}

	// The streaming path of the CLI (a baseline file decoded as the walk
	// emits, neither tree held) finds exactly the same.
	var buf bytes.Buffer
	mustDo(t, baseline.Encode(&buf, baseline.Header{Generation: 1}, base))
	r, err := baseline.NewReader(buf.Bytes())
	mustDo(t, err)
	m := drift.NewMerger(r, ig)
	emit, wait := m.Async()
	live2, err := drift.Walk(context.Background(), root, drift.WalkOptions{Ignores: ig, Emit: emit})
	wait()
	mustDo(t, err)
	c2, err := m.Finish()
	mustDo(t, err)
	base2, err := r.Finish()
	mustDo(t, err)
	streamed := map[string]rules.Severity{}
	for _, f := range classify(base2, live2, c2) {
		streamed[f.Rule.ID+" "+f.Subject] = f.Severity
	}
	if d := cmp.Diff(want, streamed); d != "" || len(live2.Entries) != 0 || live2.Count != len(live.Entries) {
		t.Errorf("streamed check: %d entries kept, %d counted; findings (-want +got):\n%s", len(live2.Entries), live2.Count, d)
	}
}

// mutate changes the rootfs in place the real way.
func mutate(t *testing.T, root, deb string) {
	t.Helper()
	copyFile(t, deb, filepath.Join(root, "tmp", "pkg.deb"), 0o644)
	sh(t, root, "dpkg", "-i", "/tmp/pkg.deb")                       // package installed
	sh(t, root, "dpkg", "-r", "e2fsprogs")                          // package removed
	sh(t, root, "useradd", "-m", "-s", "/bin/bash", "alice")        // account added
	sh(t, root, "chmod", "u+s", "/usr/bin/date")                    // new setuid bit
	sh(t, "", "setcap", "cap_net_raw+ep", root+"/usr/bin/env")      // new file capability
	copyFile(t, "/bin/true", root+"/usr/local/bin/backdoor", 0o755) // new ELF
	copyFile(t, "/bin/true", root+"/usr/bin/tail", 0o755)           // packaged binary replaced
	appendFile(t, root+"/etc/issue", "welcome\n")                   // /etc edit
	sh(t, root, "chmod", "0664", "/etc/issue")
	writeFile(t, root+"/etc/cron.d/job", "* * * * * root /usr/local/bin/backdoor\n", 0o644)
	mustDo(t, os.Remove(root+"/usr/share/common-licenses/GPL-3")) // deleted file
	mustDo(t, os.Remove(root+"/etc/os-release"))                  // symlink swapped for a file
	writeFile(t, root+"/etc/os-release", "ID=debian\n", 0o644)
	mustDo(t, os.MkdirAll(root+"/root/.ssh", 0o700))
	writeFile(t, root+"/root/.ssh/authorized_keys", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB intruder\n", 0o600)
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	b, err := os.ReadFile(from)
	mustDo(t, err)
	writeFile(t, to, string(b), mode)
}

func writeFile(t *testing.T, name, content string, mode os.FileMode) {
	t.Helper()
	os.Remove(name)
	mustDo(t, os.WriteFile(name, []byte(content), mode))
	mustDo(t, os.Chmod(name, mode))
}

func appendFile(t *testing.T, name, content string) {
	t.Helper()
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
	mustDo(t, err)
	_, err = f.WriteString(content)
	mustDo(t, err)
	mustDo(t, f.Close())
}

// classify classifies a comparison and judges it with the catalog.
func classify(base, live *drift.Snapshot, c *drift.Comparison) []rules.Finding {
	chs, probs := drift.Classify(base, live, c)
	return drift.Judge(chs, nil, probs)
}
