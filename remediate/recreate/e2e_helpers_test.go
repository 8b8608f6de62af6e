package recreate

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/docker/docker/client"

	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/internal/e2e"
	"github.com/immutcheck/immutcheck/live/docker"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// engine connects to the real Docker Engine of the setup step
// (scripts/setup/docker.sh) holding the daemon lock shared, or skips
// (fails when components are required, see internal/e2e) without it.
func engine(t *testing.T) *client.Client {
	t.Helper()
	if path := os.Getenv("IMMUTCHECK_DOCKERD_LOCK"); path != "" {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			t.Fatalf("dockerd lock: %v", err)
		}
		t.Cleanup(func() { f.Close() })
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH); err != nil {
			t.Fatalf("dockerd lock: %v", err)
		}
	}
	need := func(what string) { e2e.Missing(t, what, "run scripts/setup/docker.sh") }
	if os.Getenv("IMMUTCHECK_DOCKER") == "" && os.Getenv("IMMUTCHECK_E2E") == "" {
		need("Docker Engine (IMMUTCHECK_DOCKER)")
	}
	if _, err := exec.LookPath("docker"); err != nil {
		need("docker command")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := docker.Connect(ctx)
	if err != nil {
		need(fmt.Sprintf("Docker Engine (%v)", err))
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// testImage returns the test image named by env, or ends the test as e2e.Missing says.
func testImage(t *testing.T, env, fallback string) string {
	t.Helper()
	if v := os.Getenv(env); v != "" {
		return v
	}
	if exec.Command("docker", "image", "inspect", fallback).Run() == nil {
		return fallback
	}
	e2e.Missing(t, "image "+fallback+" ("+env+")", "run scripts/setup/docker.sh")
	return ""
}

// dockerCLI runs the docker command and returns its output.
func dockerCLI(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("docker", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// run starts a container from img with a unique name, removed at cleanup.
func run(t *testing.T, img string, args ...string) string {
	t.Helper()
	name := fmt.Sprintf("immutcheck-e2e-%s-%d", strings.ToLower(strings.NewReplacer("/", "-", "_", "-").Replace(t.Name())), time.Now().UnixNano()%1e6)
	t.Cleanup(func() { exec.Command("docker", "rm", "-f", name).Run() })
	dockerCLI(t, append([]string{"run", "-d", "--name", name}, append(args, img)...)...)
	return name
}

// check checks a container for drift as `immutcheck docker` does and
// returns whether it drifted and the findings of the catalog.
func check(t *testing.T, eng docker.Engine, name string) (bool, []rules.Finding) {
	t.Helper()
	ig, err := drift.NewIgnores(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ck := &docker.Checker{Engine: eng, Ignores: ig}
	defer ck.Close(context.Background())
	res, err := ck.Check(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := rules.NewEvaluator(rules.All(), rules.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	f := &model.File{Path: "docker", Problems: res.Problems}
	if res.Instance != nil {
		f.Instances = []*model.Instance{res.Instance}
	}
	return res.Drifted(), ev.Evaluate(f)
}

func dump(fs []rules.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s %s %s: %s\n", f.Rule.ID, f.Severity, f.Location.File, f.Message)
	}
	return b.String()
}
