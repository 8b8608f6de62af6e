package drift

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/immutcheck/immutcheck/internal/e2e"
)

func walkT(t *testing.T, root string, opts WalkOptions) *Snapshot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Walk(ctx, root, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestWalkLinksNeverFollowed (RELIABILITY 46): links to /etc/shadow, to
// their own directory and to absolute paths are recorded with their target
// and never followed.
func TestWalkLinksNeverFollowed(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	must(t, os.Symlink("/etc/shadow", root+"/shadow"))
	must(t, os.Symlink("..", root+"/up"))
	must(t, os.Mkdir(root+"/d", 0o755))
	must(t, os.Symlink(".", root+"/d/self"))
	must(t, os.Symlink("/", root+"/rootlink"))
	s := walkT(t, root, WalkOptions{})
	want := map[string]string{"/shadow": "/etc/shadow", "/up": "..", "/d/self": ".", "/rootlink": "/"}
	if len(s.Entries) != 6 {
		t.Errorf("%d entries, want 6 (links followed?): %v", len(s.Entries), paths(s))
	}
	for p, target := range want {
		e := s.Find(p)
		if e == nil || e.Type != TypeSymlink || e.Link != target || e.Status != StatusOK {
			t.Errorf("%s: %+v, want symlink to %s", p, e, target)
		}
	}
}

// TestWalkSpecialFiles (RELIABILITY 47): FIFOs, sockets and devices are
// recorded by type and never opened; the walk does not block on a FIFO.
func TestWalkSpecialFiles(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	must(t, syscall.Mkfifo(root+"/fifo", 0o600))
	ln, err := unixListen(root + "/sock")
	must(t, err)
	defer ln.Close()
	if os.Geteuid() == 0 {
		must(t, unix.Mknod(root+"/null", unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))))
		must(t, unix.Mknod(root+"/zero", unix.S_IFCHR|0o666, int(unix.Mkdev(1, 5))))
	}
	s := walkT(t, root, WalkOptions{})
	if e := s.Find("/fifo"); e == nil || e.Type != TypeFIFO {
		t.Errorf("fifo: %+v", e)
	}
	if e := s.Find("/sock"); e == nil || e.Type != TypeSocket {
		t.Errorf("socket: %+v", e)
	}
	if os.Geteuid() == 0 {
		if e := s.Find("/zero"); e == nil || e.Type != TypeCharDevice || e.Major != 1 || e.Minor != 5 || e.SHA256 != ([32]byte{}) {
			t.Errorf("char device: %+v", e)
		}
	}
	if len(s.Incomplete()) != 0 {
		t.Errorf("incomplete: %v", s.Incomplete())
	}
}

// TestWalkHardLinks (RELIABILITY 48): both names of an inode get its digest
// and link count; a new link made elsewhere is link-count drift.
func TestWalkHardLinks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	root := dir + "/root"
	must(t, os.Mkdir(root, 0o755))
	must(t, os.WriteFile(root+"/a", []byte("secret"), 0o600))
	must(t, os.Link(root+"/a", root+"/b"))
	base := walkT(t, root, WalkOptions{})
	a, b := base.Find("/a"), base.Find("/b")
	sum := sha256.Sum256([]byte("secret"))
	if a.SHA256 != sum || b.SHA256 != sum || a.Nlink != 2 || b.Nlink != 2 {
		t.Fatalf("hard links: %+v %+v", a, b)
	}
	must(t, os.Link(root+"/a", dir+"/outside"))
	live := walkT(t, root, WalkOptions{})
	c := Compare(base, live, nil)
	if len(c.Changes) != 2 || c.Changes[0].What != DiffLinkCount {
		t.Errorf("changes %+v, want link count drift on /a and /b", c.Changes)
	}
}

// TestWalkSwapDetected (RELIABILITY 49, 51): a file replaced by a symlink
// or FIFO after it was listed, or modified while it is read, is "changed
// during scan", never hashed through the link.
func TestWalkSwapDetected(t *testing.T) {
	t.Parallel()
	for _, swap := range []string{"symlink", "fifo", "rewrite", "grow"} {
		t.Run(swap, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			p := root + "/f"
			must(t, os.WriteFile(p, []byte("original"), 0o644))
			var st unix.Stat_t
			must(t, unix.Lstat(p, &st))
			switch swap {
			case "symlink":
				must(t, os.Remove(p))
				must(t, os.Symlink("/etc/shadow", p))
			case "fifo":
				must(t, os.Remove(p))
				must(t, syscall.Mkfifo(p, 0o644))
			case "rewrite":
				must(t, os.Remove(p))
				must(t, os.WriteFile(p, []byte("original"), 0o644))
			case "grow":
				f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
				f.WriteString("more")
				f.Close()
			}
			rootFD, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY, 0)
			must(t, err)
			defer unix.Close(rootFD)
			h := &hasher{rootFD: rootFD}
			r := h.hash(hashJob{path: "/f", st: st}, make([]byte, 1024))
			if r.status != StatusChanged {
				t.Errorf("status %v (%s), want changed during scan", r.status, r.err)
			}
		})
	}
}

// TestWalkOtherFilesystems (RELIABILITY 50): a filesystem mounted below the
// root is not entered by default, and what the baseline has below it is
// unchecked; a bind mount of an ancestor is not a loop.
func TestWalkOtherFilesystems(t *testing.T) {
	t.Parallel()
	needRootHere(t)
	root := t.TempDir()
	must(t, os.MkdirAll(root+"/mnt/sub", 0o755))
	must(t, os.WriteFile(root+"/mnt/sub/file", []byte("x"), 0o644))
	base := walkT(t, root, WalkOptions{})
	mount(t, "-t", "tmpfs", "tmpfs", root+"/mnt")
	must(t, os.Mkdir(root+"/loop", 0o755))
	mount(t, "--bind", root, root+"/loop")
	live := walkT(t, root, WalkOptions{})
	if e := live.Find("/mnt"); e == nil || e.Status != StatusOtherFS {
		t.Fatalf("/mnt: %+v, want on another filesystem", e)
	}
	if e := live.Find("/loop"); e == nil || e.Status == StatusOK || live.Find("/loop/loop") != nil {
		t.Fatalf("/loop: %+v, want a loop not entered", e)
	}
	c := Compare(base, live, nil)
	// The tmpfs root's own mode (1777) differs from the directory it hides;
	// nothing below /mnt is reported removed.
	if !c.Incomplete() || len(c.Changes) != 2 || c.Changes[0].Path != "/loop" || c.Changes[1].Path != "/mnt" {
		t.Errorf("comparison incomplete=%v changes %+v, want /loop added, /mnt changed, incomplete", c.Incomplete(), c.Changes)
	}
	cross := walkT(t, root, WalkOptions{CrossFilesystems: true})
	if e := cross.Find("/mnt"); e == nil || e.Status != StatusOK {
		t.Errorf("with CrossFilesystems, /mnt: %+v", e)
	}
}

// TestWalkSparseTooLarge (RELIABILITY 51): a huge sparse file above the
// limit is recorded as too large, which makes the scan incomplete.
func TestWalkSparseTooLarge(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	f, err := os.Create(root + "/sparse")
	must(t, err)
	must(t, f.Truncate(1<<40))
	f.Close()
	s := walkT(t, root, WalkOptions{MaxFileSize: 1 << 30})
	if e := s.Find("/sparse"); e == nil || e.Status != StatusTooLarge || e.Size != 1<<40 {
		t.Fatalf("sparse: %+v", e)
	}
	if len(s.Incomplete()) != 1 {
		t.Error("too large file does not make the scan incomplete")
	}
}

// TestWalkUnreadable (RELIABILITY 52, F31): a directory the scanning user
// cannot read is unscanned, and the comparison is incomplete, not clean.
// Root reads everything, so the walk runs in a child process as nobody.
func TestWalkUnreadable(t *testing.T) {
	t.Parallel()
	needRootHere(t)
	root := t.TempDir()
	must(t, os.Chmod(root, 0o755))
	must(t, os.Chmod(filepath.Dir(root), 0o755)) // the test's own temp parent
	for d := filepath.Dir(root); d != "/"; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		must(t, err)
		if fi.Mode().Perm()&0o005 != 0o005 {
			t.Skipf("%s is not searchable by other users", d)
		}
	}
	must(t, os.MkdirAll(root+"/secret", 0o700))
	must(t, os.WriteFile(root+"/secret/key", []byte("k"), 0o600))
	must(t, os.WriteFile(root+"/private", []byte("p"), 0o600))
	must(t, os.WriteFile(root+"/public", []byte("p"), 0o644))
	base := walkT(t, root, WalkOptions{})
	// The go tool keeps the test binary in a private directory: copy it.
	self, err := os.Executable()
	must(t, err)
	bin, err := os.ReadFile(self)
	must(t, err)
	exe := filepath.Join(filepath.Dir(root), "drift.test")
	must(t, os.WriteFile(exe, bin, 0o755))
	cmd := exec.Command(exe, "-test.run=^TestWalkHelper$")
	cmd.Env = append(os.Environ(), "DRIFT_WALK_HELPER="+root)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("run the test binary as nobody: %v", err)
	}
	var live Snapshot
	must(t, json.Unmarshal(out, &live))
	c := Compare(base, &live, nil)
	got := map[string]bool{}
	for _, e := range c.Unchecked {
		got[e.Path] = true
	}
	if !c.Incomplete() || !got["/secret"] || !got["/secret/key"] || !got["/private"] || len(c.Changes) != 0 {
		t.Errorf("unchecked %v changes %+v; want /secret, /secret/key and /private unchecked and nothing reported removed", got, c.Changes)
	}
}

// TestWalkHelper is the child process of TestWalkUnreadable.
func TestWalkHelper(t *testing.T) {
	root := os.Getenv("DRIFT_WALK_HELPER")
	if root == "" {
		t.Skip("helper process only")
	}
	s := walkT(t, root, WalkOptions{})
	b, _ := json.Marshal(s)
	os.Stdout.Write(b)
	os.Exit(0)
}

// TestWalkRaces (RELIABILITY F29): files created, deleted and swapped for
// links and FIFOs during the walk never hang or crash it; a stable subtree
// reads the same every time.
func TestWalkRaces(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	must(t, os.MkdirAll(root+"/stable", 0o755))
	for i := range 50 {
		must(t, os.WriteFile(fmt.Sprintf("%s/stable/%d", root, i), []byte{byte(i)}, 0o644))
	}
	must(t, os.MkdirAll(root+"/churn", 0o755))
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ctx.Err() == nil; i++ {
			p := fmt.Sprintf("%s/churn/%d", root, i%20)
			os.RemoveAll(p)
			switch i % 4 {
			case 0:
				os.WriteFile(p, make([]byte, 1<<16), 0o644)
			case 1:
				os.Symlink("/etc/shadow", p)
			case 2:
				syscall.Mkfifo(p, 0o644)
			case 3:
				os.MkdirAll(p+"/x/y", 0o755)
			}
		}
	}()
	var first []Entry
	for range 20 {
		s := walkT(t, root, WalkOptions{})
		var stable []Entry
		for _, e := range s.Entries {
			if under(e.Path, "/stable") {
				stable = append(stable, e)
			}
		}
		if first == nil {
			first = stable
		} else if fmt.Sprint(first) != fmt.Sprint(stable) {
			t.Fatal("stable subtree read differently during churn")
		}
	}
	cancel()
	wg.Wait()
	if len(first) != 51 {
		t.Errorf("stable subtree has %d entries, want 51", len(first))
	}
}

func needRootHere(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		e2e.Missing(t, "root privileges", "run the tests as root")
	}
}

func mount(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("mount", args...).CombinedOutput(); err != nil {
		t.Fatalf("mount %v: %v %s", args, err, out)
	}
	target := args[len(args)-1]
	t.Cleanup(func() { exec.Command("umount", "-l", target).Run() })
}

func paths(s *Snapshot) []string {
	var out []string
	for _, e := range s.Entries {
		out = append(out, e.Path)
	}
	return out
}
