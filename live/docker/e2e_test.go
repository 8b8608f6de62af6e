package docker

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"

	"github.com/immutcheck/immutcheck/internal/e2e"
	"github.com/immutcheck/immutcheck/rules"
)

// TestDebianDrift modifies a Debian container in place the way people do
// (dpkg -i, useradd, chmod u+s, an /etc edit, a deletion, a dropped binary
// that is run, a docker exec shell left running) and checks each
// classification, read both from the overlay2 layers and through the API.
func TestDebianDrift(t *testing.T) {
	eng := engine(t)
	img := e2e.DockerImage(t, "IMMUTCHECK_DOCKER_DEBIAN", "immutcheck-test/debian:bookworm")
	deb := e2e.Env(t, "IMMUTCHECK_TEST_DEB", "test package", "run scripts/setup/debootstrap.sh")
	c := e2e.RunContainer(t, img)
	e2e.DockerCLI(t, "cp", deb, c+":/root/test.deb")
	e2e.DockerCLI(t, "exec", c, "sh", "-c", strings.Join([]string{
		"dpkg -i /root/test.deb >/dev/null", "rm /root/test.deb",
		"useradd -m mallory",
		"chmod u+s /usr/bin/find",
		"echo 'net.ipv4.ip_forward=1' >> /etc/sysctl.conf",
		"rm /usr/bin/yes",
		"mkdir -p /opt/drop && cp /usr/bin/sleep /opt/drop/implant",
	}, " && "))
	e2e.DockerCLI(t, "exec", "-d", c, "/opt/drop/implant", "1000")
	e2e.DockerCLI(t, "exec", "-d", c, "bash", "-c", "sleep 1000; true")
	time.Sleep(300 * time.Millisecond) // let the exec'd programs start
	// Replace a binary that processes already run (PID 1 and bash's child
	// keep the image's code), then start it again: only the new process is
	// foreign.
	e2e.DockerCLI(t, "exec", c, "sh", "-c", "cp /usr/bin/tail /usr/bin/sleep.new && mv /usr/bin/sleep.new /usr/bin/sleep")
	e2e.DockerCLI(t, "exec", "-d", c, "/usr/bin/sleep", "-f", "/dev/null")
	time.Sleep(300 * time.Millisecond)
	want := []struct {
		rule *rules.Rule
		text string
	}{
		{rules.PackageDrift, "package tree"},
		{rules.AccountDrift, "user mallory added"},
		{rules.PermissionDrift, "mode 0755 → 4755"},
		{rules.EtcDrift, "/etc/sysctl.conf"},
		{rules.FileDrift, "/usr/bin/yes"},
		{rules.ExecutableDrift, "/opt/drop/implant"},
		{rules.ForeignProcess, "runs /opt/drop/implant, which was added"},
		{rules.ExecSession, "exec (docker exec): bash -c sleep 1000; true (still running)"},
		{rules.ForeignProcess, "runs /usr/bin/sleep, whose content differs from the image's (command: /usr/bin/sleep -f /dev/null)"},
		{rules.ExecutableDrift, "/usr/bin/sleep"},
	}
	var firstDump string
	for _, apiOnly := range []bool{false, true} {
		ck := checker(t, eng)
		ck.APIOnly = apiOnly
		res, err := ck.Check(context.Background(), c)
		if err != nil {
			t.Fatalf("api=%v: %v", apiOnly, err)
		}
		for _, w := range want {
			if !has(judge(res), w.rule, w.text) {
				t.Errorf("api=%v: no %s finding with %q; got:\n%s", apiOnly, w.rule.ID, w.text, dump(judge(res)))
			}
		}
		n := 0
		for _, f := range judge(res) {
			if f.Rule == rules.ForeignProcess && strings.Contains(f.Message, "runs /usr/bin/sleep") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("api=%v: %d foreign-process findings for /usr/bin/sleep, want 1 (the processes started before the swap run the image's code):\n%s", apiOnly, n, dump(judge(res)))
		}
		// Both readers see the same drift.
		if apiOnly && dump(judge(res)) != firstDump {
			t.Errorf("API reader and overlay reader disagree:\n%s\nvs\n%s", dump(judge(res)), firstDump)
		}
		firstDump = dump(judge(res))
		// The package's own files are explained by the package finding.
		if has(judge(res), rules.ExecutableDrift, "/usr/bin/tree") {
			t.Errorf("api=%v: /usr/bin/tree reported on its own although package tree explains it", apiOnly)
		}
		if has(judge(res), rules.DriftUnchecked, "") {
			t.Errorf("api=%v: something was not checked:\n%s", apiOnly, dump(judge(res)))
		}
	}
}

// TestOracleDockerDiff: the changed paths immutcheck reports are exactly
// those of docker diff, except directories whose metadata did not change
// (docker lists every parent of a change) and the ignored volatile paths.
func TestOracleDockerDiff(t *testing.T) {
	eng := engine(t)
	img := e2e.DockerImage(t, "IMMUTCHECK_DOCKER_BUSYBOX", "immutcheck-test/busybox:1")
	c := e2e.RunContainer(t, img)
	e2e.DockerCLI(t, "exec", c, "sh", "-c", "echo x >> /etc/app.conf; mkdir -p /srv/a/b; echo 1 > /srv/a/b/f; rm /bin/yes; chmod 700 /root; ln -s /etc/app.conf /srv/link; echo t > /tmp/ignored")
	ck := checker(t, eng)
	res, err := ck.Check(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	oracle := map[string]bool{}
	for _, line := range strings.Split(e2e.DockerCLI(t, "diff", c), "\n") {
		if _, p, ok := strings.Cut(line, " "); ok {
			oracle[p] = true
		}
	}
	ours := map[string]bool{}
	for _, ch := range res.Comparison.Changes {
		ours[ch.Path] = true
		if !oracle[ch.Path] {
			t.Errorf("%s reported but not in docker diff", ch.Path)
		}
	}
	for p := range oracle {
		if ours[p] || ck.Ignores.Match(p) {
			continue
		}
		if e2e.DockerCLI(t, "exec", c, "sh", "-c", "test -d '"+p+"' && echo dir || echo other") != "dir" {
			t.Errorf("%s in docker diff but not reported, and not a directory", p)
		}
	}
	if len(ours) < 6 {
		t.Errorf("only %d changes found: %v", len(ours), ours)
	}
}

// stopMidScan is a real engine that stops or removes the container once
// its changed paths were listed, when the image is looked up to read the
// image side: the container exits mid-scan.
type stopMidScan struct {
	Engine
	t      *testing.T
	id     string
	remove bool
}

func (s stopMidScan) ImageInspect(ctx context.Context, id string, opts ...client.ImageInspectOption) (image.InspectResponse, error) {
	if s.remove {
		e2e.DockerCLI(s.t, "rm", "-f", s.id)
	} else {
		e2e.DockerCLI(s.t, "kill", s.id)
	}
	return s.Engine.ImageInspect(ctx, id, opts...)
}

func TestContainerExitsMidScan(t *testing.T) {
	eng := engine(t)
	img := e2e.DockerImage(t, "IMMUTCHECK_DOCKER_BUSYBOX", "immutcheck-test/busybox:1")
	for _, remove := range []bool{false, true} {
		c := e2e.RunContainer(t, img)
		e2e.DockerCLI(t, "exec", c, "sh", "-c", "echo x >> /etc/app.conf")
		ck := checker(t, stopMidScan{Engine: eng, t: t, id: c, remove: remove})
		res, err := ck.Check(context.Background(), c)
		if err != nil {
			t.Fatalf("remove=%v: %v", remove, err)
		}
		switch {
		case remove && !res.Gone:
			t.Errorf("removed container not reported as gone: %s", dump(judge(res)))
		case !remove && !has(judge(res), rules.EtcDrift, "/etc/app.conf"):
			t.Errorf("stopped container: drift lost:\n%s", dump(judge(res)))
		}
	}
}

// TestMountedExecutable: a binary run from a volume is not the image's.
func TestMountedExecutable(t *testing.T) {
	eng := engine(t)
	img := e2e.DockerImage(t, "IMMUTCHECK_DOCKER_BUSYBOX", "immutcheck-test/busybox:1")
	vol := fmt.Sprintf("immutcheck-e2e-mnt-%d", time.Now().UnixNano()%1e6)
	// Registered first, so it runs after the container is removed.
	t.Cleanup(func() { exec.Command("docker", "volume", "rm", vol).Run() })
	c := e2e.RunContainer(t, img, "-v", vol+":/vol")
	e2e.DockerCLI(t, "exec", c, "cp", "/bin/busybox", "/vol/sleep")
	e2e.DockerCLI(t, "exec", "-d", c, "/vol/sleep", "1000")
	time.Sleep(300 * time.Millisecond)
	res, err := checker(t, eng).Check(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if !has(judge(res), rules.ForeignProcess, "runs /vol/sleep, which is not in the image (a mounted path") {
		t.Errorf("no foreign-process for the volume's binary:\n%s", dump(judge(res)))
	}
	if res.Drifted() {
		t.Errorf("the volume's mount point or content was reported as drift:\n%s", dump(judge(res)))
	}
}
