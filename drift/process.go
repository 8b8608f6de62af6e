package drift

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/immutcheck/immutcheck/rules"
)

// maxExecutable bounds how much of a running executable is hashed.
const maxExecutable = 1 << 30

// Processes checks the executable of every process under procDir (normally
// /proc) against the baseline. With root other than "/", only processes
// whose executable lies below root are checked, with paths relative to it
// (a container's rootfs). A process is foreign when its executable was
// deleted from disk, is absent from the baseline, or — read through
// /proc/PID/exe, so a binary swapped on disk after start is still seen —
// differs from the baseline's content.
func Processes(procDir, root string, base *Snapshot) []rules.Finding {
	ents, err := os.ReadDir(procDir)
	if err != nil {
		return []rules.Finding{finding(rules.DriftUnchecked, rules.DriftUnchecked.Severity, "processes", "", "processes not checked: %v", errText(err))}
	}
	root = filepath.Clean(root)
	type proc struct {
		dir, path, subject string
		deleted            bool
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
		procs = append(procs, proc{dir, p, fmt.Sprintf("process %d (%s)", pid, comm(dir)), deleted})
		paths = append(paths, p)
	}
	// One lookup for all: a streamed baseline is read again for it.
	found := base.FindAll(paths)
	hashes := map[devIno]*[32]byte{}
	var out []rules.Finding
	for _, pr := range procs {
		dir, p, subject, deleted := pr.dir, pr.path, pr.subject, pr.deleted
		b := found[p]
		switch {
		case deleted:
			out = append(out, finding(rules.ForeignProcess, rules.Critical, subject, p, "runs %s, which was deleted from disk after it started", p))
		case b == nil || b.Type != TypeRegular:
			out = append(out, finding(rules.ForeignProcess, rules.Critical, subject, p, "runs %s, which is not in the baseline", p))
		default:
			sum, err := exeDigest(dir+"/exe", hashes)
			if err != nil {
				out = append(out, finding(rules.DriftUnchecked, rules.DriftUnchecked.Severity, subject, p, "executable not checked: %s", errText(err)))
			} else if *sum != b.SHA256 {
				out = append(out, finding(rules.ForeignProcess, rules.Critical, subject, p, "runs %s, whose content (sha256 %s) differs from the baseline (%s)", p, short(*sum), short(b.SHA256)))
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Subject < out[j].Subject })
	return out
}

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
	if st.Mode&unix.S_IFMT != unix.S_IFREG || st.Size > maxExecutable {
		return nil, fmt.Errorf("not a regular file of at most %d bytes", maxExecutable)
	}
	k := devIno{st.Dev, st.Ino}
	if s := cache[k]; s != nil {
		return s, nil
	}
	d := sha256.New()
	if _, err := io.Copy(d, io.LimitReader(f, maxExecutable)); err != nil {
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
