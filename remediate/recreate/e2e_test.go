package recreate

import (
	"context"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/immutcheck/immutcheck/internal/e2e"
)

// TestRemediateReplaces: a drifted container is replaced by one from the
// same image ID with the same configuration and no drift.
func TestRemediateReplaces(t *testing.T) {
	eng := engine(t)
	img := e2e.DockerImage(t, "IMMUTCHECK_DOCKER_BUSYBOX", "immutcheck-test/busybox:1")
	suffix := fmt.Sprint(time.Now().UnixNano() % 1e6)
	netName, vol := "immutcheck-e2e-net-"+suffix, "immutcheck-e2e-vol-"+suffix
	// Registered first, so they run after the container is removed.
	t.Cleanup(func() { exec.Command("docker", "volume", "rm", vol).Run() })
	e2e.DockerCLI(t, "network", "create", netName)
	t.Cleanup(func() { exec.Command("docker", "network", "rm", netName).Run() })
	c := e2e.RunContainer(t, img, "--network", netName, "--network-alias", "web-alias", "-e", "FOO=bar",
		"-l", "com.docker.compose.project=shop", "-l", "com.docker.compose.service=web",
		"--restart", "unless-stopped", "--stop-timeout", "1", "-p", "127.0.0.1:18781:8080", "-v", vol+":/data",
		"--health-cmd", "test -e /bin/sh", "--health-interval", "1s", "--health-retries", "2")
	e2e.DockerCLI(t, "exec", c, "sh", "-c", "echo x >> /etc/app.conf; echo kept > /data/state")
	ctx := context.Background()
	old, err := eng.ContainerInspect(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	rm := &Remediator{Engine: eng, HealthTimeout: 30 * time.Second}
	newID, err := rm.Replace(ctx, &old)
	if err != nil {
		t.Fatal(err)
	}
	cur, err := eng.ContainerInspect(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if cur.ID != newID || cur.ID == old.ID {
		t.Fatalf("name %s is container %s; want the new %s", c, cur.ID, newID)
	}
	if cur.Image != old.Image {
		t.Errorf("image %s, want the same %s", cur.Image, old.Image)
	}
	if _, err := eng.ContainerInspect(ctx, old.ID); err == nil {
		t.Errorf("old container %s still exists", old.ID)
	}
	// docker diff lists only the volume's mount point, which the engine
	// creates in every new container.
	if d := e2e.DockerCLI(t, "diff", c); d != "A /data" {
		t.Errorf("new container has drift:\n%s", d)
	}
	if drifted, fs := check(t, eng, c); drifted || len(fs) > 0 {
		t.Errorf("new container drifted:\n%s", dump(fs))
	}
	if got := e2e.DockerCLI(t, "exec", c, "cat", "/data/state"); got != "kept" {
		t.Errorf("volume data not kept: %q", got)
	}
	for what, pair := range map[string][2]any{
		"env":      {old.Config.Env, cur.Config.Env},
		"cmd":      {old.Config.Cmd, cur.Config.Cmd},
		"labels":   {old.Config.Labels, cur.Config.Labels},
		"restart":  {old.HostConfig.RestartPolicy, cur.HostConfig.RestartPolicy},
		"ports":    {old.HostConfig.PortBindings, cur.HostConfig.PortBindings},
		"binds":    {old.HostConfig.Binds, cur.HostConfig.Binds},
		"health":   {old.Config.Healthcheck, cur.Config.Healthcheck},
		"networks": {netNames(old.NetworkSettings.Networks), netNames(cur.NetworkSettings.Networks)},
	} {
		if d := cmp.Diff(pair[0], pair[1]); d != "" {
			t.Errorf("%s changed (-old +new):\n%s", what, d)
		}
	}
	if ep := cur.NetworkSettings.Networks[netName]; ep == nil || !slices.Contains(ep.Aliases, "web-alias") {
		t.Errorf("network alias web-alias lost: %+v", ep)
	}
}

// TestRemediateRollsBack: the new container fails its healthcheck (the old
// one only passed it thanks to a hand-made change), so the old container
// gets its name back and runs again.
func TestRemediateRollsBack(t *testing.T) {
	eng := engine(t)
	img := e2e.DockerImage(t, "IMMUTCHECK_DOCKER_BUSYBOX", "immutcheck-test/busybox:1")
	c := e2e.RunContainer(t, img, "--stop-timeout", "1", "--health-cmd", "test -e /etc/marker", "--health-interval", "1s", "--health-retries", "1")
	e2e.DockerCLI(t, "exec", c, "touch", "/etc/marker")
	ctx := context.Background()
	old, err := eng.ContainerInspect(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	rm := &Remediator{Engine: eng, HealthTimeout: 30 * time.Second}
	if _, err := rm.Replace(ctx, &old); err == nil || !strings.Contains(err.Error(), "rolled back") {
		t.Fatalf("Replace = %v, want a rolled-back failure", err)
	}
	cur, err := eng.ContainerInspect(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if cur.ID != old.ID || !cur.State.Running {
		t.Errorf("after rollback %s is %s (running %v), want the old %s running", c, cur.ID, cur.State.Running, old.ID)
	}
	if !strings.Contains(e2e.DockerCLI(t, "diff", c), "/etc/marker") {
		t.Errorf("the old container's state was lost")
	}
	if out := e2e.DockerCLI(t, "ps", "-a", "--filter", "name="+c, "--format", "{{.Names}}"); out != c {
		t.Errorf("containers left behind: %q", out)
	}
}

func netNames[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
