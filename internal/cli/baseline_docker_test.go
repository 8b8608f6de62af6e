package cli

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/drift/baseline"
	"github.com/immutcheck/immutcheck/internal/e2e"
)

// TestBaselineFromDockerEngine builds an image in the real Docker Engine of
// scripts/setup/docker.sh, from nothing on the internet: a scratch tar with
// a static busybox is imported (docker import), then two build steps delete
// a file (a whiteout) and replace a directory (an opaque directory, or
// whiteouts of its old entries). "baseline create docker-daemon:IMAGE"
// must record exactly the filesystem the engine exports for a container of
// that image, and drift must find that filesystem unchanged.
func TestBaselineFromDockerEngine(t *testing.T) {
	needEnv(t, "IMMUTCHECK_DOCKER", "Docker Engine", "docker.sh")
	busybox, err := os.ReadFile("/bin/busybox")
	if err != nil {
		t.Fatalf("static busybox (installed by scripts/setup/docker.sh): %v", err)
	}
	e2e.LockDocker(t)
	dir := t.TempDir()
	tag := fmt.Sprintf("immutcheck-test/baseline-e2e:%d", time.Now().UnixNano()%1e9)
	base := tag + "-base"
	t.Cleanup(func() { exec.Command("docker", "rmi", "-f", tag, base).Run() })

	// The scratch layer.
	var layer bytes.Buffer
	tw := tar.NewWriter(&layer)
	for _, h := range []struct {
		name, body, link string
		mode             int64
	}{
		{name: "bin/", mode: 0o755}, {name: "bin/busybox", body: string(busybox), mode: 0o755},
		{name: "bin/sh", link: "busybox"}, {name: "etc/", mode: 0o755},
		{name: "etc/app.conf", body: "v1\n", mode: 0o644}, {name: "etc/old.conf", body: "old\n", mode: 0o644},
		{name: "opt/", mode: 0o755}, {name: "opt/d/", mode: 0o755}, {name: "opt/d/a", body: "a\n", mode: 0o644},
	} {
		hdr := &tar.Header{Name: h.name, Mode: h.mode, Size: int64(len(h.body)), Typeflag: tar.TypeReg, ModTime: time.Unix(1700000000, 0)}
		switch {
		case strings.HasSuffix(h.name, "/"):
			hdr.Typeflag = tar.TypeDir
		case h.link != "":
			hdr.Typeflag, hdr.Linkname, hdr.Mode = tar.TypeSymlink, h.link, 0o777
		}
		mustOK(t, tw.WriteHeader(hdr))
		_, err := tw.Write([]byte(h.body))
		mustOK(t, err)
	}
	mustOK(t, tw.Close())
	imp := exec.Command("docker", "import", "-", base)
	imp.Stdin = &layer
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("docker import: %v\n%s", err, out)
	}
	dockerfile := "FROM " + base + "\n" +
		`RUN ["/bin/busybox", "rm", "/etc/old.conf"]` + "\n" +
		`RUN ["/bin/busybox", "sh", "-c", "rm -r /opt/d && mkdir /opt/d && echo b > /opt/d/b && chmod 4755 /etc/app.conf"]` + "\n"
	mustOK(t, os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(dockerfile), 0o644))
	build := exec.Command("docker", "build", "-q", "-t", tag, dir)
	build.Env = append(os.Environ(), "DOCKER_BUILDKIT=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}

	// The baseline from the engine.
	f := &driftFixture{dir: dir}
	fromEngine := filepath.Join(dir, "engine.baseline")
	f.run(t, 0, "baseline", "create", "docker-daemon:"+tag, "-o", fromEngine)
	h, snap := decodeFile(t, fromEngine)
	if h.Source != tag || !strings.HasPrefix(h.Digest, "sha256:") || h.FormatVersion != baseline.FormatVersion {
		t.Errorf("header %+v", h)
	}
	for p, want := range map[string]bool{"/etc/old.conf": false, "/opt/d/a": false, "/opt/d/b": true, "/bin/busybox": true, "/etc/app.conf": true} {
		if got := snap.Find(p) != nil; got != want {
			t.Errorf("%s in the baseline: %v, want %v", p, got, want)
		}
	}
	if e := snap.Find("/etc/app.conf"); e == nil || e.Mode != 0o4755 {
		t.Errorf("/etc/app.conf: %+v, want mode 4755 from the upper layer", e)
	}

	// The oracle: what the engine exports for a container of the image.
	cid := strings.TrimSpace(dockerOut(t, "create", tag, "/bin/sh"))
	t.Cleanup(func() { exec.Command("docker", "rm", "-f", cid).Run() })
	exported := filepath.Join(dir, "export.tar")
	dockerOut(t, "export", "-o", exported, cid)
	fromExport := filepath.Join(dir, "export.baseline")
	f.run(t, 0, "baseline", "create", exported, "-o", fromExport)
	_, exp := decodeFile(t, fromExport)
	// docker export adds the container's own files and mount points.
	added := map[string]bool{"/.dockerenv": true, "/dev": true, "/proc": true, "/sys": true, "/etc/hostname": true,
		"/etc/hosts": true, "/etc/resolv.conf": true, "/etc/mtab": true}
	if d := cmp.Diff(contentOf(exp, added), contentOf(snap, nil)); d != "" {
		t.Errorf("baseline from the engine differs from the exported filesystem (-export +engine):\n%s", d)
	}

	// drift on the exported tree, unpacked: nothing but the container's
	// own files.
	root := filepath.Join(dir, "root")
	mustOK(t, os.Mkdir(root, 0o755))
	if out, err := exec.Command("tar", "-xpf", exported, "-C", root).CombinedOutput(); err != nil {
		t.Fatalf("unpack the export: %v\n%s", err, out)
	}
	out, _ := f.run(t, 0, "drift", "--baseline", fromEngine, "--allow-unsigned", "--state", "", "--fail-on", "none", "--format", "json", root)
	var rep struct {
		Findings []struct{ Rule, Subject string }
	}
	mustOK(t, json.Unmarshal([]byte(out), &rep))
	dockerenv := false
	for _, f := range rep.Findings {
		switch {
		case f.Subject == "/.dockerenv":
			dockerenv = true
		case f.Rule != "unsigned-baseline":
			t.Errorf("drift on the image's own filesystem: %+v", f)
		}
	}
	if !dockerenv {
		t.Errorf("the container's /.dockerenv was not reported: %s", out)
	}
}

// contentOf lists the paths, types, modes and contents of a snapshot,
// without the paths in skip and what is below them.
func contentOf(s *drift.Snapshot, skip map[string]bool) []string {
	var out []string
	for _, e := range s.Entries {
		if skip[e.Path] || skip[filepath.Dir(e.Path)] {
			continue
		}
		line := fmt.Sprintf("%s %s %o %d:%d", e.Path, e.Type, e.Mode, e.UID, e.GID)
		switch e.Type {
		case drift.TypeRegular:
			line += fmt.Sprintf(" %x", e.SHA256[:8])
		case drift.TypeSymlink:
			line += " -> " + e.Link
		case drift.TypeDir:
			line = e.Path + " dir" // implied directories carry no metadata
		}
		out = append(out, line)
	}
	return out
}

func decodeFile(t *testing.T, name string) (baseline.Header, *drift.Snapshot) {
	t.Helper()
	b, err := os.ReadFile(name)
	mustOK(t, err)
	h, s, err := baseline.Decode(b)
	mustOK(t, err)
	return h, s
}

func dockerOut(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("docker", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
