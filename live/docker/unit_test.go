package docker

import (
	"archive/tar"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/sys/unix"

	"github.com/immutcheck/immutcheck/internal/e2e"
)

func TestPlan(t *testing.T) {
	t.Parallel()
	diff := []container.FilesystemChange{
		{Kind: diffModified, Path: "/etc"},
		{Kind: diffAdded, Path: "/opt/x/f"},
		{Kind: diffModified, Path: "/etc/app.conf"},
		{Kind: diffAdded, Path: "/opt/x"},
		{Kind: diffAdded, Path: "/opt"},
		{Kind: diffDeleted, Path: "/usr/share/doc"},
		{Kind: diffAdded, Path: "/var/lib/dpkg/info/tree.list"},
	}
	live, base := plan(diff)
	wantLive := []readItem{
		{Path: "/etc"}, {Path: "/etc/app.conf"}, {Path: "/opt", Recursive: true},
		{Path: "/var/lib/dpkg/info", Recursive: true}, {Path: "/var/lib/dpkg/status"},
	}
	wantBase := []readItem{
		{Path: "/etc"}, {Path: "/etc/app.conf"}, {Path: "/usr/share/doc", Recursive: true},
		{Path: "/var/lib/dpkg/info", Recursive: true}, {Path: "/var/lib/dpkg/status"},
	}
	if d := cmp.Diff(wantLive, live); d != "" {
		t.Errorf("live (-want +got):\n%s", d)
	}
	if d := cmp.Diff(wantBase, base); d != "" {
		t.Errorf("base (-want +got):\n%s", d)
	}
}

func TestContainerPath(t *testing.T) {
	t.Parallel()
	root := "/var/lib/docker/overlay2/abc/merged"
	tests := []struct {
		exe, want string
		deleted   bool
	}{
		{root + "/usr/bin/sleep", "/usr/bin/sleep", false},
		{root + "/tmp/x (deleted)", "/tmp/x", true},
		{"/usr/bin/sleep", "/usr/bin/sleep", false},
		{"/var/lib/docker/volumes/v/_data/tool", "(outside) /var/lib/docker/volumes/v/_data/tool", false},
	}
	for _, tt := range tests {
		got, del := containerPath(tt.exe, root)
		if got != tt.want || del != tt.deleted {
			t.Errorf("containerPath(%q) = %q, %v; want %q, %v", tt.exe, got, del, tt.want, tt.deleted)
		}
	}
}

// TestOverlayLookup builds a two-layer stack with a whiteout, an opaque
// directory and a symlinked directory, and checks the merged view.
func TestOverlayLookup(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		e2e.Missing(t, "root privileges to create whiteouts (character device 0/0)", "run the tests as root")
	}
	top, low := t.TempDir(), t.TempDir()
	write := func(dir, p, s string) {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(low, "etc/a", "low")
	write(low, "etc/gone", "low")
	write(low, "opq/old", "low")
	write(low, "real/secret", "low")
	write(top, "etc/a", "top")
	write(top, "opq/new", "top")
	if err := unix.Mknod(filepath.Join(top, "etc/gone"), unix.S_IFCHR, 0); err != nil {
		t.Fatal(err)
	}
	if err := unix.Setxattr(filepath.Join(top, "opq"), "trusted.overlay.opaque", []byte("y"), 0); err != nil {
		t.Skipf("trusted xattrs not supported here: %v", err)
	}
	os.Symlink("/", filepath.Join(top, "link"))
	o := &overlay{layers: []string{top, low}}
	for p, want := range map[string]bool{"/etc/a": true, "/etc/gone": false, "/opq/old": false, "/opq/new": true, "/real/secret": true, "/link/etc": false, "/nope": false} {
		f, ok, err := o.lookup(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
		}
		if ok {
			f.dir.Close()
		}
		if ok != want {
			t.Errorf("lookup(%s) found = %v, want %v", p, ok, want)
		}
	}
	names, err := o.list("/etc")
	if err != nil || !cmp.Equal(names, []string{"a", "gone"}) {
		t.Errorf("list(/etc) = %v, %v", names, err)
	}
	var buf bytes.Buffer
	if err := o.writeItems([]readItem{{Path: "/etc", Recursive: true}}, &buf); err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(&buf)
	var got []string
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		b := new(bytes.Buffer)
		b.ReadFrom(tr)
		got = append(got, h.Name+"="+b.String())
	}
	if d := cmp.Diff([]string{"/etc=", "/etc/a=top"}, got); d != "" {
		t.Errorf("archive (-want +got):\n%s", d)
	}
}
