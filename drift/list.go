package drift

import (
	"errors"
	"os"
	"sort"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// Directory read-ahead. The walk visits entries in Less order on one
// goroutine, but the system calls that read a directory — getdents, an
// lstat per name, a readlink per symlink, the open of each subdirectory —
// run on lister goroutines ahead of it: when a directory has been read,
// its subdirectories are queued, the most recently found first (the next
// ones the walk needs), and the walk takes each listing when it gets
// there, reading a directory itself when no lister has started it. At most
// maxReady listings, or maxReadyNames names, wait read but not yet walked,
// each with at most maxAhead names looked up (the walk looks up the rest of
// a larger directory itself, maxAhead at a time), so memory and open
// descriptors stay bounded whatever the size of the tree.
//
// Every directory is opened relative to its parent's descriptor with
// O_NOFOLLOW and checked with fstat to be the inode its parent's lstat
// listed, exactly as a sequential walk would; a descriptor is closed once
// each of its subdirectories was opened.

// maxReady and maxReadyNames bound the listings read ahead of the walk,
// maxAhead the names of one listing looked up ahead.
const (
	maxReady      = 512
	maxReadyNames = 16384
	maxAhead      = 2048
)

// sharedFD is a directory descriptor that its subdirectories' jobs open
// from; it is closed when the last of them has.
type sharedFD struct {
	fd   int
	refs atomic.Int32
}

func (s *sharedFD) release() {
	if s.refs.Add(-1) == 0 {
		unix.Close(s.fd)
	}
}

// ancestry is the chain of directories above a listing, to stop bind-mount
// loops.
type ancestry struct {
	id devIno
	up *ancestry
}

func (a *ancestry) has(id devIno) bool {
	for ; a != nil; a = a.up {
		if a.id == id {
			return true
		}
	}
	return false
}

// dirJob is a subdirectory to read: name in the directory parent, listed
// with the device and inode want.
type dirJob struct {
	parent *sharedFD
	name   string
	path   string
	want   devIno
	up     *ancestry
	// claimed is set by whoever runs the job: a lister or the walk.
	claimed atomic.Bool
	done    chan struct{}
	res     *listing
}

func (j *dirJob) claim() bool { return j.claimed.CompareAndSwap(false, true) }

// listing is one directory as read: its children in name order, or why it
// could not be opened (openErr: not the directory that was listed, or
// gone) or listed (readErr).
type listing struct {
	path    string
	openErr error
	readErr error
	kids    []kid
	// rest are the names after the first maxAhead, to be looked up by the
	// walk in the directory self (held open for them), below node.
	rest []string
	self *sharedFD
	node *ancestry
}

// names counts the names the listing holds.
func (l *listing) names() int { return len(l.kids) + len(l.rest) }

// finish closes what the listing still holds.
func (l *listing) finish() {
	if l.self != nil {
		l.self.release()
		l.self = nil
	}
}

// kid is one name of a listing, with its lstat result.
type kid struct {
	e  Entry
	st unix.Stat_t
	// vanished: gone between listing and lstat (a race).
	vanished bool
	// ignored: a directory that is ignored but walked for the includes
	// below it.
	ignored bool
	// sub reads the directory when it is descended into.
	sub *dirJob
}

// lister runs directory jobs for one walk.
type lister struct {
	ig      *Ignores
	rootDev uint64
	cross   bool

	mu    sync.Mutex
	cond  *sync.Cond
	stack []*dirJob
	// ready holds the jobs run by listers whose listing was not taken,
	// with readyNames the names they hold.
	ready      map[*dirJob]bool
	readyNames int
	// idle counts the listers waiting for a job.
	idle    int
	closed  bool
	workers sync.WaitGroup
	// buf is the walk's own getdents buffer.
	buf []byte
}

// newLister starts opts.Workers listers for a walk of a tree on the
// device rootDev.
func newLister(opts WalkOptions, rootDev uint64) *lister {
	l := &lister{ig: opts.Ignores, rootDev: rootDev, cross: opts.CrossFilesystems, ready: map[*dirJob]bool{}, buf: make([]byte, direntBufSize)}
	l.cond = sync.NewCond(&l.mu)
	for range opts.Workers {
		l.workers.Add(1)
		go l.work()
	}
	return l
}

// work runs queued jobs until the lister is closed.
func (l *lister) work() {
	defer l.workers.Done()
	buf := make([]byte, direntBufSize)
	for {
		l.mu.Lock()
		for !l.closed && (len(l.stack) == 0 || len(l.ready) >= maxReady || l.readyNames >= maxReadyNames) {
			l.idle++
			l.cond.Wait()
			l.idle--
		}
		if l.closed {
			l.mu.Unlock()
			return
		}
		j := l.stack[len(l.stack)-1]
		l.stack = l.stack[:len(l.stack)-1]
		l.mu.Unlock()
		if !j.claim() {
			continue // the walk read it itself
		}
		l.run(j, buf)
		l.mu.Lock()
		l.ready[j] = true
		l.readyNames += j.res.names()
		l.mu.Unlock()
		close(j.done)
	}
}

// take returns the listing of j, reading the directory on the calling
// goroutine when no lister has started it. The job lets go of the
// listing, so that a listing walked is garbage.
func (l *lister) take(j *dirJob) *listing {
	if j.claim() {
		l.run(j, l.buf)
	} else {
		<-j.done
		l.mu.Lock()
		delete(l.ready, j)
		l.readyNames -= j.res.names()
		l.cond.Signal()
		l.mu.Unlock()
	}
	res := j.res
	j.res = nil
	return res
}

// close stops the listers and closes the descriptors of the jobs that
// were never run (a walk that was cancelled).
func (l *lister) close() {
	l.mu.Lock()
	l.closed = true
	l.cond.Broadcast()
	l.mu.Unlock()
	l.workers.Wait()
	for _, j := range l.stack {
		if j.claim() {
			j.parent.release()
		}
	}
	for j := range l.ready {
		j.res.finish()
	}
	l.stack, l.ready = nil, nil
}

// run opens the directory of j beneath its parent and reads it.
func (l *lister) run(j *dirJob, buf []byte) {
	fd, err := unix.Openat(j.parent.fd, j.name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	j.parent.release()
	var st unix.Stat_t
	if err == nil {
		if err = unix.Fstat(fd, &st); err == nil && (st.Dev != j.want.dev || st.Ino != j.want.ino) {
			err = errChanged
		}
		if err != nil {
			unix.Close(fd)
		}
	}
	if err != nil {
		j.res = &listing{path: j.path, openErr: err}
		return
	}
	j.res = l.read(fd, j.path, &st, j.up, buf)
}

// read lists the directory open at fd (which it takes over), lstats its
// first maxAhead names and queues the subdirectories to descend into.
func (l *lister) read(fd int, dir string, st *unix.Stat_t, up *ancestry, buf []byte) *listing {
	res := &listing{path: dir}
	self := &sharedFD{fd: fd}
	self.refs.Store(1)
	defer self.release()
	names, err := readNames(fd, buf)
	if err != nil {
		res.readErr = err
		return res
	}
	sort.Strings(names)
	node := &ancestry{id: devIno{st.Dev, st.Ino}, up: up}
	if len(names) > maxAhead {
		self.refs.Add(1)
		res.rest, res.self, res.node = names[maxAhead:], self, node
		names = names[:maxAhead]
	}
	res.kids = l.lookup(self, dir, names, node)
	return res
}

// lookup lstats the names of the directory self, in order, and queues the
// subdirectories to descend into, the first on top.
func (l *lister) lookup(self *sharedFD, dir string, names []string, node *ancestry) []kid {
	kids := make([]kid, 0, len(names))
	var subs []*dirJob
	check := l.ig.below(dir)
	for _, name := range names {
		p := join(dir, name)
		if check && l.ig.Match(p) && l.ig.Prune(p) {
			continue
		}
		k := kid{}
		if err := unix.Fstatat(self.fd, name, &k.st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			if errors.Is(err, unix.ENOENT) {
				k.vanished = true // gone between listing and lstat
			} else {
				k.e = Entry{Path: p, Status: StatusUnreadable, Err: errText(err)}
			}
			kids = append(kids, k)
			continue
		}
		ignored := check && l.ig.Match(p)
		if ignored && k.st.Mode&unix.S_IFMT != unix.S_IFDIR {
			continue
		}
		k.e = entryFromStat(p, &k.st)
		switch k.e.Type {
		case TypeSymlink:
			var err error
			if k.e.Link, err = readlinkat(self.fd, name); err != nil {
				k.e.Status, k.e.Err = StatusUnreadable, errText(err)
			}
		case TypeDir:
			k.ignored = ignored
			id := devIno{k.st.Dev, k.st.Ino}
			switch {
			case k.st.Dev != l.rootDev && !l.cross:
				k.e.Status = StatusOtherFS
			case node.has(id):
				k.e.Status, k.e.Err = StatusUnreadable, "directory loop (bind mount of an ancestor)"
			default:
				self.refs.Add(1)
				k.sub = &dirJob{parent: self, name: name, path: p, want: id, up: node, done: make(chan struct{})}
				subs = append(subs, k.sub)
			}
		}
		kids = append(kids, k)
	}
	if len(subs) > 0 {
		l.mu.Lock()
		for i := len(subs) - 1; i >= 0; i-- {
			l.stack = append(l.stack, subs[i])
		}
		// Wake as many idle listers as there are new jobs, and no more.
		for range min(len(subs), l.idle) {
			l.cond.Signal()
		}
		l.mu.Unlock()
	}
	return kids
}

// direntBufSize is the getdents buffer of each goroutine that reads
// directories.
const direntBufSize = 64 << 10

// readNames lists the directory open at fd with getdents directly: an
// os.File would cost three more system calls per directory (it registers
// the descriptor with the poller) for nothing.
func readNames(fd int, buf []byte) ([]string, error) {
	var names []string
	for {
		n, err := unix.ReadDirent(fd, buf)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return nil, &os.SyscallError{Syscall: "getdents", Err: err}
		}
		if n <= 0 {
			return names, nil
		}
		// ParseDirent leaves out "." and "..".
		_, _, names = unix.ParseDirent(buf[:n], -1, names)
	}
}
