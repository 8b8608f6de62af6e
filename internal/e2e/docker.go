package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// dockerStart is how the Docker Engine of the tests is provided.
const dockerStart = "run scripts/setup/docker.sh"

// LockDocker flocks IMMUTCHECK_DOCKERD_LOCK (scripts/setup/docker.sh)
// shared until the test ends, so that a test restarting the daemon waits
// for the tests using it, in this and other packages and runs. It returns
// the lock file, nil when no lock is set up.
func LockDocker(t testing.TB) *os.File {
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

// NeedDocker ends t as Missing says unless the Docker Engine of the setup
// step is announced (IMMUTCHECK_DOCKER or IMMUTCHECK_E2E) and the docker
// command is installed. Connecting is the caller's: each package connects
// as the code under test does.
func NeedDocker(t testing.TB) {
	t.Helper()
	if os.Getenv("IMMUTCHECK_DOCKER") == "" && os.Getenv("IMMUTCHECK_E2E") == "" {
		Missing(t, "Docker Engine (IMMUTCHECK_DOCKER)", dockerStart)
	}
	if _, err := exec.LookPath("docker"); err != nil {
		Missing(t, "docker command", dockerStart)
	}
}

// DockerMissing ends t as Missing says, for a Docker Engine that did not
// answer.
func DockerMissing(t testing.TB, err error) {
	t.Helper()
	Missing(t, fmt.Sprintf("Docker Engine (%v)", err), dockerStart)
}

// DockerImage returns the test image named by the environment variable
// env, else fallback when the engine has it; without either t ends as
// Missing says.
func DockerImage(t testing.TB, env, fallback string) string {
	t.Helper()
	if v := os.Getenv(env); v != "" {
		return v
	}
	if exec.Command("docker", "image", "inspect", fallback).Run() == nil {
		return fallback
	}
	Missing(t, "image "+fallback+" ($"+env+")", dockerStart)
	return ""
}

// DockerCLI runs the docker command and returns its trimmed output; a
// failure fails t.
func DockerCLI(t testing.TB, args ...string) string {
	t.Helper()
	out, err := exec.Command("docker", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// RunContainer starts a container from img (docker run -d ARGS IMG) with a
// name unique to the test, removed when it ends, and returns the name.
func RunContainer(t testing.TB, img string, args ...string) string {
	t.Helper()
	name := fmt.Sprintf("immutcheck-e2e-%s-%d", strings.ToLower(strings.NewReplacer("/", "-", "_", "-").Replace(t.Name())), time.Now().UnixNano()%1e6)
	t.Cleanup(func() { exec.Command("docker", "rm", "-f", name).Run() })
	DockerCLI(t, append([]string{"run", "-d", "--name", name}, append(args, img)...)...)
	return name
}
