package docker

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/storage"

	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/rules"
)

// fakeTop lists fixed processes; exec 20 was started with docker exec.
type fakeTop struct {
	Engine
	rows [][]string
}

func (f fakeTop) ContainerTop(context.Context, string, []string) (container.TopResponse, error) {
	return container.TopResponse{Titles: []string{"UID", "PID", "PPID", "CMD"}, Processes: f.rows}, nil
}

func (f fakeTop) ContainerExecInspect(_ context.Context, id string) (container.ExecInspect, error) {
	return container.ExecInspect{ExecID: id, Running: true, Pid: 20}, nil
}

func TestProcessClassification(t *testing.T) {
	t.Parallel()
	const root = "/var/lib/docker/overlay2/abc/merged"
	proc := t.TempDir()
	exes := map[int]string{
		1:  root + "/usr/bin/app",
		20: root + "/bin/bash",
		21: root + "/bin/bash", // a shell the app started: not an exec session
		30: root + "/usr/sbin/sshd",
		40: root + "/tmp/implant (deleted)",
		50: root + "/opt/new",
		60: "/var/lib/docker/volumes/v/_data/tool",
		70: "/tools/x", // how the kernel names a file on a bind mount
	}
	var rows [][]string
	for pid, exe := range exes {
		dir := filepath.Join(proc, fmt.Sprint(pid))
		os.MkdirAll(dir, 0o755)
		if err := os.Symlink(exe, filepath.Join(dir, "exe")); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, []string{"0", fmt.Sprint(pid), "0", "cmd"})
	}
	ck := &Checker{Engine: fakeTop{rows: rows}, ProcRoot: proc}
	ins := &container.InspectResponse{ContainerJSONBase: &container.ContainerJSONBase{ID: "c", State: &container.State{Running: true},
		ExecIDs: []string{"e1"}, GraphDriver: storage.DriverData{Name: "overlay2", Data: map[string]string{"MergedDir": root}}},
		Mounts: []container.MountPoint{{Type: "bind", Source: "/srv/tools", Destination: "/tools"}}}
	diff := []container.FilesystemChange{{Kind: diffAdded, Path: "/opt/new"}, {Kind: diffAdded, Path: "/opt"}}
	procs, sessions, problems, err := ck.processes(context.Background(), ins, diff, &drift.Comparison{}, &drift.Snapshot{})
	if err != nil {
		t.Fatal(err)
	}
	in := Instance("web")
	in.Processes, in.Sessions = procs, sessions
	got := map[string]string{}
	for _, f := range judge(&Result{Instance: in, Problems: problems}) {
		got[f.Rule.ID+" "+f.Subject] = f.Message
	}
	// The shell started with docker exec is an exec session, and sshd of
	// the image is SSH access; neither is a foreign process.
	want := map[string]string{
		"exec-session container web":                "exec (docker exec): cmd (still running)",
		"ssh-access container web: process 30":      "SSH server sshd runs in the container (command: cmd)",
		"foreign-process container web: process 40": "runs /tmp/implant, which was deleted from disk after it started (command: cmd)",
		"foreign-process container web: process 50": "runs /opt/new, which was added to the container after it started from the image (command: cmd)",
		"foreign-process container web: process 60": "runs /var/lib/docker/volumes/v/_data/tool, which is not in the image (a mounted path; command: cmd)",
		"foreign-process container web: process 70": "runs /tools/x, which is not in the image (a mounted path; command: cmd)",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("findings %v, want only %v", got, want)
	}
}

// TestProcessesNotVisible: against a remote engine the processes are not
// in this host's /proc; that is reported, never skipped.
func TestProcessesNotVisible(t *testing.T) {
	t.Parallel()
	ck := &Checker{Engine: fakeTop{rows: [][]string{{"0", "4242", "0", "sleep"}}}, ProcRoot: t.TempDir()}
	ins := &container.InspectResponse{ContainerJSONBase: &container.ContainerJSONBase{ID: "c", State: &container.State{Running: true, Pid: 4242}}}
	_, _, problems, err := ck.processes(context.Background(), ins, nil, &drift.Comparison{}, &drift.Snapshot{})
	if err != nil {
		t.Fatal(err)
	}
	fs := judge(&Result{Problems: problems})
	if len(fs) != 1 || fs[0].Rule != rules.DriftUnchecked {
		t.Fatalf("findings %v, want one drift-unchecked", fs)
	}
}
