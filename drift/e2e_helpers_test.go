package drift_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/immutcheck/immutcheck/drift"
)

// need returns the value of an environment variable exported by a setup
// step (scripts/setup/debootstrap.sh). Without it the test is skipped on a
// developer machine and fails in CI.
func need(t *testing.T, env, component string) string {
	t.Helper()
	v := os.Getenv(env)
	if v == "" {
		missing(t, component+" ($"+env+" not set; run scripts/setup/debootstrap.sh)")
	}
	return v
}

// needRoot skips (or in CI fails) tests that chroot, chown and setcap.
func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		missing(t, "root privileges")
	}
}

// needTool checks that a command is installed.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, name)
	}
	return p
}

func missing(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("missing %s (required in CI)", what)
	}
	t.Skipf("missing %s", what)
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
