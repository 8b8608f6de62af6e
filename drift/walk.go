package drift

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// WalkOptions change how a directory tree is read.
type WalkOptions struct {
	// Ignores prune volatile subtrees from the walk; nil walks everything.
	Ignores *Ignores
	// CrossFilesystems descends into directories on other filesystems than
	// the root's. Off by default: /proc, bind mounts and network mounts stay
	// out of a host scan.
	CrossFilesystems bool
	// Workers is the number of files hashed in parallel (default GOMAXPROCS).
	Workers int
	// MaxFileSize, when positive, leaves larger regular files unhashed with
	// StatusTooLarge, which makes the scan incomplete.
	MaxFileSize int64
	// Fast, when set, supplies digests of files whose stat tuple did not
	// change since it recorded them, and records this walk's digests.
	Fast *FastCache
	// Progress, when set, is called from the walking goroutine with the
	// number of entries listed so far.
	Progress func(entries int)
	// Emit, when set, receives every entry in Less order as soon as it is
	// complete, and the returned Snapshot holds no Entries: memory then stays
	// flat in the number of files. The entry is valid during the call
	// only: copy what is kept.
	Emit func(*Entry)
}

// walker holds the state of one Walk.
type walker struct {
	opts    WalkOptions
	snap    *Snapshot
	jobs    chan hashJob
	results chan hashResult
	// win holds the entries listed but not yet emitted, in Less order; the
	// entry numbered n (counting from the root, 0) is win[n-base].
	win  []slot
	base int
	// hashing counts the jobs sent whose result has not been applied.
	hashing int
	// linkLeft tracks each hard-linked inode from its first name: the
	// entry number of that name, whose result is kept in linkDone once
	// emitted, and how many more names its link count announces. After the
	// last one the inode is forgotten (a name beyond the count, a link made
	// during the walk, is hashed as a first name again).
	linkLeft map[devIno]linkCount
	linkDone map[int]Entry
	// out is the entry handed to Emit (one, reused: nothing is allocated
	// per entry).
	out Entry
	// list reads directories ahead of the walk.
	list    *lister
	content collected
}

type devIno struct{ dev, ino uint64 }

// linkCount is a hard-linked inode whose other names are expected.
type linkCount struct {
	first int
	left  uint64
}

// Walk reads the tree at root into a Snapshot. Entry paths are relative to
// root ("/etc/passwd" for root+"/etc/passwd"). Unreadable and raced entries
// are recorded with their status; the walk itself fails only when root cannot
// be opened or ctx is cancelled.
func Walk(ctx context.Context, root string, opts WalkOptions) (*Snapshot, error) {
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	rootFD, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open root: %w", err)
	}
	defer unix.Close(rootFD)
	var st unix.Stat_t
	if err := unix.Fstat(rootFD, &st); err != nil {
		return nil, fmt.Errorf("stat root: %w", err)
	}
	w := &walker{
		opts: opts, snap: &Snapshot{},
		jobs: make(chan hashJob, 4*opts.Workers), results: make(chan hashResult, 4*opts.Workers),
		linkDone: map[int]Entry{}, linkLeft: map[devIno]linkCount{}, content: collected{},
	}
	if opts.Emit == nil {
		w.opts.Emit = func(e *Entry) { w.snap.Entries = append(w.snap.Entries, *e) }
	} else {
		w.snap.LookupAll = treeLookup(root)
	}
	startHashers(rootFD, opts, w.jobs, w.results)
	w.push(slot{e: entryFromStat("/", &st)})
	w.list = newLister(opts, st.Dev)
	dirFD, err := unix.Dup(rootFD)
	if err == nil {
		err = w.walkListing(ctx, w.list.read(dirFD, "/", &st, nil, w.list.buf))
	}
	w.list.close()
	close(w.jobs)
	for w.hashing > 0 {
		w.apply(<-w.results)
	}
	if err != nil {
		return nil, err
	}
	w.emit(len(w.win))
	w.content.finish(w.snap)
	return w.snap, nil
}

// walkListing records the children of a directory in name order,
// descending into subdirectories.
func (w *walker) walkListing(ctx context.Context, l *listing) error {
	defer l.finish()
	if err := ctx.Err(); err != nil {
		return err
	}
	if l.readErr != nil {
		w.markDir(l.path, StatusUnreadable, l.readErr)
		return nil
	}
	if err := w.walkKids(ctx, l.kids); err != nil {
		return err
	}
	// A large directory: the names after the first maxAhead.
	for rest := l.rest; len(rest) > 0; {
		n := min(len(rest), maxAhead)
		if err := w.walkKids(ctx, w.list.lookup(l.self, l.path, rest[:n], l.node)); err != nil {
			return err
		}
		rest = rest[n:]
	}
	if w.opts.Progress != nil {
		w.opts.Progress(w.next())
	}
	return nil
}

// walkKids records names of a directory in order.
func (w *walker) walkKids(ctx context.Context, kids []kid) error {
	for i := range kids {
		k := &kids[i]
		switch {
		case k.vanished:
			w.snap.Races++
			continue
		case k.e.Status == StatusUnreadable && k.e.Type == TypeUnknown:
			w.push(slot{e: k.e}) // lstat failed
			continue
		}
		switch k.e.Type {
		case TypeRegular:
			w.addRegular(k.e, &k.st)
		case TypeDir:
			if err := w.enterDir(ctx, k); err != nil {
				return err
			}
		default:
			w.push(slot{e: k.e})
		}
	}
	return nil
}

// enterDir records directory k and descends into it, unless it is on
// another filesystem, an ancestor (a bind-mount loop), or cannot be opened
// as the same directory that was listed (the lister decided the first two).
func (w *walker) enterDir(ctx context.Context, k *kid) error {
	if !k.ignored {
		w.push(slot{e: k.e})
	}
	if k.sub == nil {
		return nil
	}
	idx := w.next() - 1
	l := w.list.take(k.sub)
	k.sub = nil
	if err := l.openErr; err != nil {
		if k.ignored {
			return nil
		}
		if errors.Is(err, errChanged) || errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOTDIR) || errors.Is(err, unix.ENOENT) {
			w.at(idx).Status = StatusChanged
			w.snap.Races++
		} else {
			w.at(idx).Status = StatusUnreadable
		}
		w.at(idx).Err = errText(err)
		return nil
	}
	return w.walkListing(ctx, l)
}

// addRegular records a regular file and queues it for hashing, once per
// hard-linked inode, unless the --fast cache knows its digest.
func (w *walker) addRegular(e Entry, st *unix.Stat_t) {
	idx := w.next()
	sl := slot{e: e}
	if st.Nlink > 1 {
		k := devIno{st.Dev, st.Ino}
		if l, ok := w.linkLeft[k]; ok {
			sl.alias, sl.first = true, l.first
			if l.left <= 1 {
				sl.lastName = true
				delete(w.linkLeft, k)
			} else {
				l.left--
				w.linkLeft[k] = l
			}
		} else {
			sl.hasLinks = true
			w.linkLeft[k] = linkCount{first: idx, left: uint64(st.Nlink) - 1}
		}
	}
	if sl.alias {
		w.push(sl)
		return
	}
	collect := collectLimit(e.Path)
	if w.opts.Fast != nil && collect == 0 {
		sl.fast, sl.key = true, statKey(st)
		if sum, caps, exec, at, ok := w.opts.Fast.lookup(e.Path, st); ok {
			sl.e.SHA256, sl.e.Caps, sl.e.Exec, sl.at = sum, caps, exec, at
			w.push(sl)
			return
		}
	}
	sl.waiting = true
	w.push(sl)
	w.hash(hashJob{index: idx, path: e.Path, st: *st, collect: collect})
}

// markDir sets the status of the directory dir, the last entry listed.
func (w *walker) markDir(dir string, s Status, err error) {
	if n := len(w.win); n > 0 && w.win[n-1].e.Path == dir {
		w.win[n-1].e.Status, w.win[n-1].e.Err = s, errText(err)
	}
}

// apply copies a hash result into its entry.
func (w *walker) apply(r hashResult) {
	w.hashing--
	sl := &w.win[r.index-w.base]
	e := &sl.e
	sl.waiting = false
	e.SHA256, e.Caps, e.Exec, e.Status, e.Err = r.sum, r.caps, r.exec, r.status, r.err
	if r.status == StatusChanged {
		w.snap.Races++
	}
	if r.content != nil {
		w.content[e.Path] = r.content
	}
}

var errChanged = errors.New("changed during scan")

// errText returns an error's text without the path (the entry names it).
func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return err.Error()
}

// readlinkat reads a symlink's target relative to a directory fd.
func readlinkat(fd int, name string) (string, error) {
	for size := 256; size <= 1<<16; size *= 4 {
		buf := make([]byte, size)
		n, err := unix.Readlinkat(fd, name, buf)
		if err != nil {
			return "", err
		}
		if n < size {
			return string(buf[:n]), nil
		}
	}
	return "", errors.New("symlink target too long")
}

// entryFromStat records the metadata of an lstat result.
func entryFromStat(p string, st *unix.Stat_t) Entry {
	e := Entry{Path: p, Mode: st.Mode & 0o7777, UID: st.Uid, GID: st.Gid}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFREG:
		e.Type, e.Size, e.Nlink = TypeRegular, st.Size, uint32(st.Nlink)
	case unix.S_IFDIR:
		e.Type = TypeDir
	case unix.S_IFLNK:
		e.Type = TypeSymlink
	case unix.S_IFCHR:
		e.Type, e.Major, e.Minor = TypeCharDevice, unix.Major(st.Rdev), unix.Minor(st.Rdev)
	case unix.S_IFBLK:
		e.Type, e.Major, e.Minor = TypeBlockDevice, unix.Major(st.Rdev), unix.Minor(st.Rdev)
	case unix.S_IFIFO:
		e.Type = TypeFIFO
	case unix.S_IFSOCK:
		e.Type = TypeSocket
	}
	return e
}
