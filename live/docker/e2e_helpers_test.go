package docker

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
	"github.com/immutcheck/immutcheck/rules"
)

// engine connects to the real Docker Engine of the setup step
// (scripts/setup/docker.sh); without it the test skips or fails as package
// e2e decides.
func engine(t *testing.T) *client.Client {
	t.Helper()
	lockDaemon(t)
	return connectEngine(t)
}

// lockDaemon flocks IMMUTCHECK_DOCKERD_LOCK shared until the test ends, so
// that a test restarting the daemon waits for the tests using it (in this
// and other packages and runs). It returns the lock file, nil without one.
func lockDaemon(t *testing.T) *os.File {
	t.Helper()
	path := os.Getenv("IMMUTCHECK_DOCKERD_LOCK")
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatalf("dockerd lock: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH); err != nil {
		t.Fatalf("dockerd lock: %v", err)
	}
	return f
}

// connectEngine is engine without the daemon lock.
func connectEngine(t *testing.T) *client.Client {
	t.Helper()
	need := func(what string) { e2e.Missing(t, what, "run scripts/setup/docker.sh") }
	if os.Getenv("IMMUTCHECK_DOCKER") == "" && os.Getenv("IMMUTCHECK_E2E") == "" {
		need("Docker Engine (IMMUTCHECK_DOCKER)")
	}
	if _, err := exec.LookPath("docker"); err != nil {
		need("docker command")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := Connect(ctx)
	if err != nil {
		need(fmt.Sprintf("Docker Engine (%v)", err))
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// testImage returns the test image named by env; without it the test skips
// or fails as package e2e decides.
func testImage(t *testing.T, env, fallback string) string {
	t.Helper()
	if v := os.Getenv(env); v != "" {
		return v
	}
	if exec.Command("docker", "image", "inspect", fallback).Run() == nil {
		return fallback
	}
	e2e.Missing(t, "image "+fallback+" ($"+env+")", "run scripts/setup/docker.sh")
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

func checker(t *testing.T, eng Engine) *Checker {
	t.Helper()
	ig, err := drift.NewIgnores(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ck := &Checker{Engine: eng, Ignores: ig}
	t.Cleanup(func() { ck.Close(context.Background()) })
	return ck
}

// has reports whether a finding of rule has a message containing want.
func has(fs []rules.Finding, rule *rules.Rule, want string) bool {
	for _, f := range fs {
		if f.Rule == rule && strings.Contains(f.Subject+" "+f.Message+" "+f.Location.File, want) {
			return true
		}
	}
	return false
}

func dump(fs []rules.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s %s %s: %s\n", f.Rule.ID, f.Severity, f.Location.File, f.Message)
	}
	return b.String()
}
