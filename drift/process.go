package drift

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/immutcheck/immutcheck/model"
)

// Processes reads the executable of every process under procDir (normally
// /proc) and says where it comes from, compared with the baseline. With
// root other than "/", only processes whose executable lies below root are
// read, with paths relative to it (a container's rootfs). An executable
// deleted from disk, absent from the baseline or — read through
// /proc/PID/exe, so a binary swapped on disk after start is still seen —
// differing from the baseline's content is not the image's; the rules
// decide what that means. What could not be read is a TreeUnread problem.
func Processes(procDir, root string, base *Snapshot) ([]model.Process, []model.Problem) {
	ents, err := os.ReadDir(procDir)
	if err != nil {
		return nil, []model.Problem{unread("processes", "", "processes not checked: %v", errText(err))}
	}
	root = filepath.Clean(root)
	type proc struct {
		dir     string
		p       model.Process
		deleted bool
	}
	var procs []proc
	var paths []string
	for _, de := range ents {
		pid, err := strconv.Atoi(de.Name())
		if err != nil || pid <= 0 {
			continue
		}
		dir := filepath.Join(procDir, de.Name())
		target, err := os.Readlink(dir + "/exe")
		if err != nil {
			continue // kernel thread, exited, or not ours to read
		}
		deleted := strings.HasSuffix(target, " (deleted)")
		target = strings.TrimSuffix(target, " (deleted)")
		p := target
		if root != "/" {
			if !under(target, root) {
				continue
			}
			p = "/" + strings.TrimPrefix(strings.TrimPrefix(target, root), "/")
		}
		procs = append(procs, proc{dir, model.Process{PID: pid, Name: comm(dir), Exe: p}, deleted})
		paths = append(paths, p)
	}
	// One lookup for all: a streamed baseline is read again for it.
	found := base.FindAll(paths)
	hashes := map[devIno]*[32]byte{}
	var out []model.Process
	var problems []model.Problem
	for _, pr := range procs {
		p := pr.p
		b := found[p.Exe]
		switch {
		case pr.deleted:
			p.Origin = model.DeletedExecutable
		case b == nil || b.Type != TypeRegular:
			p.Origin = model.NotInImage
		default:
			sum, err := exeDigest(pr.dir+"/exe", hashes)
			if err != nil {
				problems = append(problems, unread(fmt.Sprintf("process %d (%s)", p.PID, p.Name), p.Exe, "executable not checked: %s", errText(err)))
				continue
			}
			if *sum != b.SHA256 {
				p.Origin = model.ModifiedExecutable
				p.Digest, p.ImageDigest = "sha256:"+hex.EncodeToString(sum[:]), "sha256:"+hex.EncodeToString(b.SHA256[:])
			}
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PID < out[j].PID })
	return out, problems
}

// MaxExecutable bounds how much of a running executable is hashed, on a
// host and in a container alike.
const MaxExecutable = 1 << 30

// exeDigest hashes the running executable of a process once per inode.
func exeDigest(exe string, cache map[devIno]*[32]byte) (*[32]byte, error) {
	f, err := os.OpenFile(exe, os.O_RDONLY|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var st unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &st); err != nil {
		return nil, err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG || st.Size > MaxExecutable {
		return nil, fmt.Errorf("not a regular file of at most %d bytes", MaxExecutable)
	}
	k := devIno{st.Dev, st.Ino}
	if s := cache[k]; s != nil {
		return s, nil
	}
	d := sha256.New()
	if _, err := io.Copy(d, io.LimitReader(f, MaxExecutable)); err != nil {
		return nil, err
	}
	var sum [32]byte
	copy(sum[:], d.Sum(nil))
	cache[k] = &sum
	return &sum, nil
}

// comm returns a process's command name (attacker-controlled; reporters
// escape it).
func comm(dir string) string {
	b, err := os.ReadFile(dir + "/comm")
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(b))
}
