package drift

import (
	"io"
	"time"

	"golang.org/x/sys/unix"
)

// FastCache lets a repeat check skip hashing files whose (device, inode,
// size, mode, owner, mtime, ctime) are exactly what they were when the
// cache recorded their digest. It trusts that ctime changes whenever
// content, mode, owner or attributes change, and that the cache file itself
// was not edited; --fast is therefore never the default (docs/drift.md
// says exactly what it trusts).
//
// The cache is a stream of records in Less order, the order a walk visits
// files, so a walk looks files up by advancing through the old cache and
// writes the new one as it goes: memory does not grow with the number of
// files, and nothing is allocated per file on a hit.
type FastCache struct {
	prev *fastReader
	src  io.ReaderAt
	next *fastWriter
	// same is the last record of the old cache that the new one repeats,
	// with all the records before it, as long as copying is false: while
	// the tree is unchanged nothing is written.
	same     fastPos
	samePath string
	copying  bool
	// recent is the time (ns) from which a file's ctime or mtime is too
	// close to this walk for its digest to be trusted next time.
	recent int64
	// written counts records written; hits and misses count lookups.
	hits, misses, written int
}

// StatKey is the stat tuple a cached digest is valid for.
type StatKey struct {
	Dev, Ino     uint64
	Size         int64
	Mode         uint32
	UID, GID     uint32
	Mtime, Ctime int64
}

func statKey(st *unix.Stat_t) StatKey {
	return StatKey{Dev: st.Dev, Ino: st.Ino, Size: st.Size, Mode: st.Mode, UID: st.Uid, GID: st.Gid,
		Mtime: st.Mtim.Nano(), Ctime: st.Ctim.Nano()}
}

// lookup returns the cached digest of p when its stat tuple is unchanged,
// and where the record was. Calls must come in Less order of p.
func (c *FastCache) lookup(p string, st *unix.Stat_t) (sum [32]byte, caps []byte, exec bool, at fastPos, ok bool) {
	if c.prev != nil {
		sum, caps, exec, at, ok = c.prev.lookup(p, statKey(st))
	}
	if ok {
		c.hits++
	} else {
		c.misses++
	}
	return
}

// RacyWindow is how close to the start of a walk a file's ctime or mtime
// may be for its digest to be cached. A file changed again within the same
// timestamp tick after it was hashed (1 s on some filesystems, 2 s on FAT,
// a few ms for the kernel's coarse clock elsewhere), with the same size,
// would keep its stat tuple: such files are hashed again next time, as git
// does for "racily clean" index entries.
const RacyWindow = 2 * time.Second

// record writes the digest of a looked-up file that was read completely,
// in Less order, unless it changed too recently to be trusted.
// A hit (at.index > 0) that follows the previous one in the old cache
// writes nothing: the new cache repeats the old one so far.
func (c *FastCache) record(e *Entry, k StatKey, at fastPos) {
	if k.Ctime >= c.recent || k.Mtime >= c.recent {
		return
	}
	if !c.copying && at.index > 0 && at.index == c.same.index+1 {
		c.same, c.samePath = at, e.Path
		return
	}
	c.diverge()
	if c.next != nil {
		c.next.write(e, k)
		c.written++
	}
}

// diverge starts writing the new cache: the records it shares with the old
// one are copied from it.
func (c *FastCache) diverge() {
	if c.copying {
		return
	}
	c.copying = true
	if c.next == nil || c.same.index == 0 {
		return
	}
	n, err := io.Copy(c.next.w, io.NewSectionReader(c.src, c.prev.start, c.same.end-c.prev.start))
	if err == nil && n != c.same.end-c.prev.start {
		err = io.ErrUnexpectedEOF
	}
	if err != nil && c.next.err == nil {
		c.next.err = err
	}
	c.next.prev = c.samePath
	c.written += c.same.index
}

// Hits returns how many files were not hashed thanks to the cache.
func (c *FastCache) Hits() int { return c.hits }

// Changed reports whether the cache written differs from the one read:
// a file was hashed, a record went unused, or the old cache was damaged
// or belonged to another root. An unchanged cache need not be replaced.
func (c *FastCache) Changed() bool {
	if c.prev == nil || c.copying {
		return true
	}
	return c.prev.drain() != c.same.index || c.prev.err != nil
}

// Finish completes the new cache when it differs from the old one and
// returns the first error writing it.
func (c *FastCache) Finish() error {
	if c.next == nil {
		return nil
	}
	if c.Changed() {
		c.diverge()
	}
	return c.next.finish()
}
