package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/immutcheck/immutcheck/internal/e2e"
)

// TestDockerSocketMissing: an engine that cannot be reached is exit 3 with
// a message that says so, never a clean report.
func TestDockerSocketMissing(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix://"+t.TempDir()+"/missing.sock")
	code, out, errOut := run(t, "", "docker")
	if code != ExitCouldNotCheck {
		t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, ExitCouldNotCheck, out, errOut)
	}
	if !strings.Contains(errOut, "docker engine unreachable") || !strings.Contains(errOut, "missing.sock") {
		t.Errorf("stderr does not name the problem: %q", errOut)
	}
	if out != "" {
		t.Errorf("a report was written although nothing was checked: %q", out)
	}
}

func TestDockerUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"docker", "--dry-run"},
		{"docker", "--expect", "${IMAGE}"},
		{"docker", "--disable", "drift-unchecked"},
	} {
		if code, _, errOut := run(t, "", args...); code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args, code, ExitUsage, errOut)
		}
	}
}

// TestDockerEndToEnd runs the command against the real engine of
// scripts/setup/docker.sh: drift, live configuration and the declared digest.
func TestDockerEndToEnd(t *testing.T) {
	img := needEnv(t, "IMMUTCHECK_DOCKER_BUSYBOX", "Docker Engine", "docker.sh")
	e2e.LockDocker(t)
	name := fmt.Sprintf("immutcheck-cli-e2e-%d", time.Now().UnixNano()%1e6)
	t.Cleanup(func() { exec.Command("docker", "rm", "-f", name).Run() })
	for _, args := range [][]string{
		{"run", "-d", "--name", name, "--network", "host", "-v", t.TempDir() + ":/data", img},
		{"exec", name, "sh", "-c", "echo x >> /etc/app.conf"},
	} {
		if out, err := exec.Command("docker", args...).CombinedOutput(); err != nil {
			t.Fatalf("docker %v: %v\n%s", args, err, out)
		}
	}
	const other = "sha256:0000000000000000000000000000000000000000000000000000000000000001"
	code, out, errOut := run(t, "", "docker", "--name", name, "--format", "json", "--expect", name+"=example.com/app:1@"+other)
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d; stderr %s", code, ExitFindings, errOut)
	}
	var rep struct {
		Findings []struct {
			Rule string `json:"rule"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	got := map[string]bool{}
	for _, f := range rep.Findings {
		got[f.Rule] = true
	}
	for _, want := range []string{"etc-drift", "running-digest-mismatch", "privileged-instance", "host-path-volume", "writable-root-filesystem"} {
		if !got[want] {
			t.Errorf("no %s finding; got %v\n%s", want, got, out)
		}
	}
	if got["image-not-pinned"] {
		t.Errorf("the declared reference is pinned, yet image-not-pinned was reported")
	}
}

// TestDockerCompose: the compose file declares the service's image; the
// container runs another one. The dry run plans its replacement and
// changes nothing.
func TestDockerCompose(t *testing.T) {
	img := needEnv(t, "IMMUTCHECK_DOCKER_BUSYBOX", "Docker Engine", "docker.sh")
	e2e.LockDocker(t)
	project := fmt.Sprintf("immutcheck-e2e-%d", time.Now().UnixNano()%1e6)
	name := project + "-web-1"
	t.Cleanup(func() { exec.Command("docker", "rm", "-f", name).Run() })
	dir := t.TempDir()
	file := dir + "/compose.yaml"
	const declared = "example.com/web:1@sha256:0000000000000000000000000000000000000000000000000000000000000001"
	if err := os.WriteFile(file, []byte("services:\n  web:\n    image: "+declared+"\n    read_only: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"run", "-d", "--name", name, "-l", "com.docker.compose.project=" + project, "-l", "com.docker.compose.service=web", img},
		{"exec", name, "sh", "-c", "echo x >> /etc/app.conf"},
	} {
		if out, err := exec.Command("docker", args...).CombinedOutput(); err != nil {
			t.Fatalf("docker %v: %v\n%s", args, err, out)
		}
	}
	before, _ := exec.Command("docker", "inspect", "-f", "{{.Id}}", name).Output()
	code, out, errOut := run(t, "", "docker", "--compose-project", project, "--compose", file, "--format", "json", "--remediate", "--dry-run")
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d; stderr %s", code, ExitFindings, errOut)
	}
	for _, want := range []string{`"running-digest-mismatch"`, `"etc-drift"`, declared} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, `"image-not-pinned"`) {
		t.Errorf("the compose file pins the image, yet image-not-pinned was reported")
	}
	if !strings.Contains(errOut, "dry run: would recreate container "+name) {
		t.Errorf("no replacement plan on stderr: %s", errOut)
	}
	after, _ := exec.Command("docker", "inspect", "-f", "{{.Id}}", name).Output()
	if string(before) != string(after) {
		t.Errorf("the dry run replaced the container")
	}
}

// TestDockerRemediate: --remediate replaces the drifted container with one
// from the same image that has no drift; a clean container is left alone.
func TestDockerRemediate(t *testing.T) {
	img := needEnv(t, "IMMUTCHECK_DOCKER_BUSYBOX", "Docker Engine", "docker.sh")
	e2e.LockDocker(t)
	base := fmt.Sprintf("immutcheck-cli-rem-%d", time.Now().UnixNano()%1e6)
	drifted, clean := base+"-drifted", base+"-clean"
	for _, n := range []string{drifted, clean} {
		t.Cleanup(func() { exec.Command("docker", "rm", "-f", n).Run() })
		if out, err := exec.Command("docker", "run", "-d", "--name", n, "--stop-timeout", "1", "-l", "immutcheck-test="+base, img).CombinedOutput(); err != nil {
			t.Fatalf("docker run: %v\n%s", err, out)
		}
	}
	if out, err := exec.Command("docker", "exec", drifted, "sh", "-c", "echo x >> /etc/app.conf").CombinedOutput(); err != nil {
		t.Fatalf("docker exec: %v\n%s", err, out)
	}
	id := func(n string) string {
		out, _ := exec.Command("docker", "inspect", "-f", "{{.Id}} {{.Image}}", n).Output()
		return strings.TrimSpace(string(out))
	}
	beforeD, beforeC := id(drifted), id(clean)
	code, _, errOut := run(t, "", "docker", "--label", "immutcheck-test="+base, "--remediate", "--format", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d; stderr %s", code, ExitFindings, errOut)
	}
	afterD, afterC := id(drifted), id(clean)
	oldID, oldImage, _ := strings.Cut(beforeD, " ")
	newID, newImage, _ := strings.Cut(afterD, " ")
	if newID == oldID || newImage != oldImage {
		t.Errorf("drifted container: %s → %s; want a new container from the same image", beforeD, afterD)
	}
	if afterC != beforeC {
		t.Errorf("the clean container was replaced")
	}
	if out, _ := exec.Command("docker", "diff", drifted).Output(); len(out) != 0 {
		t.Errorf("the replacement has drift:\n%s", out)
	}
}
