package docker

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"

	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/model"
)

// process is one process of a container as the engine and /proc see it.
type process struct {
	pid  int
	cmd  string // command line as ps prints it
	exe  string // executable path inside the container, "" when unknown
	gone bool   // the executable was deleted after the process started
	exec bool   // started with docker exec
}

// processes reads the processes of a running container and where their
// executables come from: the image, the writable layer (added or modified
// after start), deleted after the process started, or a mount outside the
// container's root filesystem; and the interactive shells started with
// docker exec that still run, as exec sessions. Executables are resolved
// through the host's /proc, so this needs the engine's host and root.
func (ck *Checker) processes(ctx context.Context, ins *container.InspectResponse, diff []container.FilesystemChange, cmp *drift.Comparison, base *drift.Snapshot) ([]model.Process, []model.Session, []model.Problem, error) {
	if ins.State == nil || !ins.State.Running {
		return nil, nil, nil, nil
	}
	procs, unread, err := ck.list(ctx, ins)
	if err != nil {
		return nil, nil, nil, err
	}
	changed := map[string]container.ChangeType{}
	for _, ch := range diff {
		changed[ch.Path] = ch.Kind
	}
	// Only a content or type change makes an executable another program; a
	// mode or owner change is permission-drift.
	sameCode := map[string]bool{}
	for _, ch := range cmp.Changes {
		if ch.Kind == drift.Modified && ch.What&(drift.DiffContent|drift.DiffType) == 0 {
			sameCode[ch.Path] = true
		}
	}
	var out []model.Process
	var sessions []model.Session
	for _, p := range procs {
		if p.exe == "" {
			continue
		}
		k, inDiff := changed[p.exe]
		if inDiff && k == diffModified && sameCode[p.exe] {
			inDiff = false
		}
		if p.gone || (inDiff && k != diffAdded) {
			// The file changed or went away on disk, but the process may
			// still run the image's copy: compare what runs with the
			// image's content of that path.
			if b := base.Find(p.exe); b != nil && b.Type == drift.TypeRegular && b.Status == drift.StatusOK {
				sum, err := runningDigest(ck.procRoot(), p.pid)
				if err != nil {
					unread = append(unread, fmt.Sprintf("process %d (%v)", p.pid, err))
					continue
				}
				if sum == b.SHA256 {
					inDiff, p.gone = false, false // runs the image's code
				}
			}
		}
		mp := model.Process{PID: p.pid, Command: p.cmd, Exe: p.exe}
		switch {
		case p.gone:
			mp.Origin = model.DeletedExecutable
		case inDiff && k == diffAdded:
			mp.Origin = model.AddedAfterStart
		case inDiff:
			mp.Origin = model.ModifiedExecutable
		case strings.HasPrefix(p.exe, "(outside) "):
			mp.Origin, mp.Exe = model.OutsideImage, strings.TrimPrefix(p.exe, "(outside) ")
		}
		out = append(out, mp)
		if p.exec && model.IsShell(path.Base(mp.Exe)) {
			sessions = append(sessions, model.Session{Kind: "exec", Source: "docker exec", Running: true, Command: p.cmd})
		}
	}
	var problems []model.Problem
	for _, u := range unread {
		problems = append(problems, model.Problem{Kind: model.TreeUnread, Object: "processes", Err: errors.New("not checked: executable of " + u)})
	}
	return out, sessions, problems, nil
}

// runningDigest hashes the executable a process runs, through
// /proc/PID/exe: the file it was started from even if the path was
// replaced on disk since.
func runningDigest(procRoot string, pid int) ([32]byte, error) {
	var sum [32]byte
	f, err := os.Open(fmt.Sprintf("%s/%d/exe", procRoot, pid))
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(f, drift.MaxExecutable+1))
	if err != nil {
		return sum, err
	}
	if n > drift.MaxExecutable {
		return sum, fmt.Errorf("executable larger than %d bytes", drift.MaxExecutable)
	}
	copy(sum[:], h.Sum(nil))
	return sum, nil
}

// list returns the container's processes with their executables. A
// container that stopped meanwhile has none.
func (ck *Checker) list(ctx context.Context, ins *container.InspectResponse) ([]process, []string, error) {
	top, err := ck.Engine.ContainerTop(ctx, ins.ID, nil)
	if err != nil {
		if client.IsErrNotFound(err) || strings.Contains(err.Error(), "is not running") {
			return nil, nil, nil
		}
		return nil, nil, fmt.Errorf("list processes: %w", err)
	}
	pidCol, cmdCol := -1, -1
	for i, t := range top.Titles {
		switch t {
		case "PID":
			pidCol = i
		case "CMD", "COMMAND":
			cmdCol = i
		}
	}
	if pidCol < 0 {
		return nil, nil, fmt.Errorf("list processes: no PID column in %q", top.Titles)
	}
	// Against a remote engine (or from another PID namespace) the
	// container's processes are not in this host's /proc: say so rather
	// than skipping them as exited.
	if ins.State.Pid > 0 {
		if _, err := os.Stat(fmt.Sprintf("%s/%d", ck.procRoot(), ins.State.Pid)); err != nil {
			return nil, []string{fmt.Sprintf("the container's processes: they are not visible in %s on this host (remote engine?)", ck.procRoot())}, nil
		}
	}
	execs := map[int]bool{}
	for _, eid := range ins.ExecIDs {
		if ei, err := ck.Engine.ContainerExecInspect(ctx, eid); err == nil && ei.Running {
			execs[ei.Pid] = true
		}
	}
	root := ""
	if ins.GraphDriver.Data != nil {
		root = ins.GraphDriver.Data["MergedDir"]
	}
	var out []process
	var unread []string
	for _, row := range top.Processes {
		if pidCol >= len(row) {
			continue
		}
		pid, err := strconv.Atoi(row[pidCol])
		if err != nil {
			continue
		}
		p := process{pid: pid, exec: execs[pid]}
		if cmdCol >= 0 && cmdCol < len(row) {
			p.cmd = row[cmdCol]
		}
		exe, err := os.Readlink(fmt.Sprintf("%s/%d/exe", ck.procRoot(), pid))
		if err != nil {
			if !os.IsNotExist(err) { // an exited process needs no check
				unread = append(unread, fmt.Sprintf("process %d (%v)", pid, err))
			}
			continue
		}
		p.exe, p.gone = containerPath(exe, root)
		if m := mountOf(ins, p.exe); m != "" {
			p.exe = "(outside) " + p.exe // a volume or bind mount, not the image
		}
		out = append(out, p)
	}
	return out, unread, nil
}

// containerPath turns an executable link as the host reads it into the
// container's path: below the container's root mount it is relative to it;
// elsewhere (a bind mount, another filesystem) it is marked "(outside)".
func containerPath(exe, root string) (p string, deleted bool) {
	if s, ok := strings.CutSuffix(exe, " (deleted)"); ok {
		exe, deleted = s, true
	}
	if root != "" {
		if exe == root {
			return "/", deleted
		}
		if rest, ok := strings.CutPrefix(exe, strings.TrimSuffix(root, "/")+"/"); ok {
			return "/" + rest, deleted
		}
	}
	// The process runs in its own mount namespace: the kernel prints the
	// path relative to that namespace's root when the host's view has none.
	// Paths below the engine's data root (the directory holding overlay2/)
	// are volumes and other containers' layers, not this container's image.
	dataRoot, _, ok := strings.Cut(root, "/overlay2/")
	if !ok || !strings.HasPrefix(exe, dataRoot+"/") {
		return exe, deleted
	}
	return "(outside) " + exe, deleted
}

// procRoot is where the host's process filesystem is mounted.
func (ck *Checker) procRoot() string {
	if ck.ProcRoot != "" {
		return ck.ProcRoot
	}
	return "/proc"
}

// mountOf returns the mount destination that path p of the container lies
// under, or "".
func mountOf(ins *container.InspectResponse, p string) string {
	for _, m := range ins.Mounts {
		d := strings.TrimSuffix(m.Destination, "/")
		if d != "" && (p == d || strings.HasPrefix(p, d+"/")) {
			return m.Destination
		}
	}
	return ""
}
