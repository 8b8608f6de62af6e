package drift_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/internal/e2e"
)

// need returns the value of an environment variable exported by a setup
// step (scripts/setup/debootstrap.sh); without it the test skips or fails
// as package e2e decides.
func need(t *testing.T, env, component string) string {
	t.Helper()
	return e2e.Env(t, env, component, "run scripts/setup/debootstrap.sh")
}

// needRoot ends, as package e2e decides, tests that chroot, chown and
// setcap when not run as root.
func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		e2e.Missing(t, "root privileges", "run the tests as root")
	}
}

// needTool checks that a command is installed.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		e2e.Missing(t, "command "+name, "install it (scripts/setup/*.sh do)")
	}
	return p
}

// rootfs extracts the cached debootstrap rootfs into a new temp directory.
func rootfs(t *testing.T) (tarball, root string) {
	t.Helper()
	needRoot(t)
	tarball = need(t, "IMMUTCHECK_ROOTFS_TAR", "debootstrap rootfs")
	root = filepath.Join(t.TempDir(), "root")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	sh(t, "", "tar", "--numeric-owner", "--xattrs", "--xattrs-include=*", "-C", root, "-xpf", tarball)
	return tarball, root
}

// sh runs a command, failing the test with its output on error. With root
// set the command runs chrooted there.
func sh(t *testing.T, root string, args ...string) {
	t.Helper()
	if root != "" {
		args = append([]string{"chroot", root}, args...)
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive", "PATH=/usr/sbin:/usr/bin:/sbin:/bin")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
}

// snapshotTar reads a rootfs tarball.
func snapshotTar(t *testing.T, tarball string) *drift.Snapshot {
	t.Helper()
	f, err := os.Open(tarball)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := drift.ReadTar(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// walk reads a live tree with the default ignores.
func walk(t *testing.T, root string) *drift.Snapshot {
	t.Helper()
	ig, err := drift.NewIgnores(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := drift.Walk(context.Background(), root, drift.WalkOptions{Ignores: ig})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
