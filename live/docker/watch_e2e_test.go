package docker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/docker/docker/client"

	"github.com/immutcheck/immutcheck/internal/e2e"
	"github.com/immutcheck/immutcheck/rules"
)

// report is one round of the watch for the test's container.
type report struct {
	began    time.Time
	err      error
	findings []rules.Finding
}

// syncBuffer is the watch log, written by the watch and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestE2EWatchSurvivesDaemonRestart restarts the real dockerd while the
// watch runs (RELIABILITY.md F21), then changes /etc in a container that
// lived through the restart (--live-restore): a report after the restart
// must show the change, and none begun after the change may miss it.
func TestE2EWatchSurvivesDaemonRestart(t *testing.T) {
	if os.Getenv("IMMUTCHECK_DOCKERD_RESTARTABLE") != "1" {
		// Not a CI failure: only a daemon the setup step started itself may
		// be restarted, never one someone else runs.
		t.Skip("dockerd was not started by scripts/setup/docker.sh (IMMUTCHECK_DOCKERD_RESTARTABLE unset); restarting a foreign daemon is not allowed")
	}
	pidfile, start := os.Getenv("IMMUTCHECK_DOCKERD_PIDFILE"), os.Getenv("IMMUTCHECK_DOCKERD_START")
	if pidfile == "" || start == "" {
		t.Fatal("IMMUTCHECK_DOCKERD_PIDFILE and IMMUTCHECK_DOCKERD_START must come with IMMUTCHECK_DOCKERD_RESTARTABLE")
	}
	lock := e2e.LockDocker(t)
	if lock == nil {
		t.Fatal("IMMUTCHECK_DOCKERD_LOCK must come with IMMUTCHECK_DOCKERD_RESTARTABLE")
	}
	eng := connectEngine(t)
	img := e2e.DockerImage(t, "IMMUTCHECK_DOCKER_BUSYBOX", "immutcheck-test/busybox:1")
	c := e2e.RunContainer(t, img, "--network", "none")
	id := e2e.DockerCLI(t, "inspect", "-f", "{{.Id}}", c)
	ck := checker(t, eng)

	ctx, cancel := context.WithTimeout(context.Background(), 80*time.Second)
	defer cancel()
	var mu sync.Mutex
	var reports []report
	logs := &syncBuffer{}
	w := &Watcher{Engine: eng, Interval: time.Second, Log: logs, MinBackoff: 200 * time.Millisecond, MaxBackoff: time.Second,
		Check: func(ctx context.Context, ids []string) error {
			if ids != nil && !contains(ids, id) {
				return nil // another test's container
			}
			r := report{began: time.Now()}
			res, err := ck.Check(ctx, id)
			if err != nil {
				r.err = err
			} else {
				r.findings = judge(res)
			}
			mu.Lock()
			reports = append(reports, r)
			mu.Unlock()
			if err != nil && isStreamBreak(err) {
				return err // the daemon is down: the watch reconnects
			}
			return nil
		}}
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() {
		cancel()
		<-done
		if t.Failed() {
			t.Logf("watch log:\n%s", logs.String())
		}
	}()
	since := func(t0 time.Time) []report {
		mu.Lock()
		defer mu.Unlock()
		var rs []report
		for _, r := range reports {
			if r.began.After(t0) {
				rs = append(rs, r)
			}
		}
		return rs
	}
	waitFor(ctx, t, "first report", func() bool { return len(since(time.Time{})) > 0 })

	// Restart only while no other test uses the daemon.
	for syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		select {
		case <-ctx.Done():
			t.Fatal("timed out waiting for the exclusive dockerd lock (other tests use the daemon)")
		case <-time.After(100 * time.Millisecond):
		}
	}
	restartDaemon(ctx, t, eng, pidfile, start)
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_SH); err != nil {
		t.Fatalf("dockerd lock: %v", err)
	}
	restarted := time.Now()
	path := fmt.Sprintf("/etc/immutcheck-f21-%d.conf", time.Now().UnixNano()%1e6)
	execAfterRestart(ctx, t, c, "echo changed >"+path)
	changed := time.Now()

	waitFor(ctx, t, "a report with the change after the restart", func() bool {
		for _, r := range since(changed) {
			if r.err == nil && has(r.findings, rules.EtcDrift, path) {
				return true
			}
		}
		return false
	})
	for _, r := range since(changed) {
		if r.err == nil && !has(r.findings, rules.EtcDrift, path) {
			t.Errorf("report begun %s after the change misses %s:\n%s", r.began.Sub(changed), path, dump(r.findings))
		}
	}
	if !strings.Contains(logs.String(), "reconnecting") {
		t.Errorf("the watch never saw the event stream break; log:\n%s", logs.String())
	}
	select {
	case err := <-done:
		t.Fatalf("watch ended during the test: %v\n%s", err, logs.String())
	default:
	}
	t.Logf("restart took until %s; %d reports after it", restarted.Format(time.StampMilli), len(since(restarted)))
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// waitFor polls cond until it holds, or fails the test when ctx ends.
func waitFor(ctx context.Context, t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// restartDaemon stops the setup step's dockerd (SIGTERM by its pid file),
// waits until the socket stops answering, starts it again with the setup
// step's command and waits for _ping.
func restartDaemon(ctx context.Context, t *testing.T, eng *client.Client, pidfile, start string) {
	t.Helper()
	b, err := os.ReadFile(pidfile)
	if err != nil {
		t.Fatalf("dockerd pid file: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 1 {
		t.Fatalf("dockerd pid file holds %q", b)
	}
	if comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); strings.TrimSpace(string(comm)) != "dockerd" {
		t.Fatalf("pid %d of %s is not dockerd (%q)", pid, pidfile, comm)
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		t.Fatalf("stop dockerd: %v", err)
	}
	ping := func() bool {
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel()
		_, err := eng.Ping(pctx)
		return err == nil
	}
	waitFor(ctx, t, "dockerd to stop", func() bool {
		return syscall.Kill(pid, 0) != nil && !ping()
	})
	if out, err := exec.CommandContext(ctx, start).CombinedOutput(); err != nil {
		t.Fatalf("start dockerd: %v\n%s", err, out)
	}
	waitFor(ctx, t, "dockerd to answer again", ping)
}

// execAfterRestart runs a shell command in container c, retrying briefly
// while the restarted daemon reconnects to the container's runtime.
func execAfterRestart(ctx context.Context, t *testing.T, c, script string) {
	t.Helper()
	var last error
	for ctx.Err() == nil {
		out, err := exec.CommandContext(ctx, "docker", "exec", c, "sh", "-c", script).CombinedOutput()
		if err == nil {
			return
		}
		last = fmt.Errorf("%w: %s", err, out)
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("docker exec after restart: %v", errors.Join(last, ctx.Err()))
}
