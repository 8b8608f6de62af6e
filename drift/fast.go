package drift

import (
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
	next *fastWriter
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

// lookup returns the cached digest of p when its stat tuple is unchanged.
// Calls must come in Less order of p.
func (c *FastCache) lookup(p string, st *unix.Stat_t) (sum [32]byte, caps []byte, exec bool, ok bool) {
	if c.prev != nil {
		sum, caps, exec, ok = c.prev.lookup(p, statKey(st))
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
func (c *FastCache) record(e *Entry, k StatKey) {
	if k.Ctime >= c.recent || k.Mtime >= c.recent {
		return
	}
	if c.next != nil {
		c.next.write(e, k)
		c.written++
	}
}

// Hits returns how many files were not hashed thanks to the cache.
func (c *FastCache) Hits() int { return c.hits }

// Changed reports whether the cache written differs from the one read:
// a file was hashed, a record went unused, or the old cache was damaged
// or belonged to another root. An unchanged cache need not be replaced.
func (c *FastCache) Changed() bool {
	if c.prev == nil || c.misses > 0 {
		return true
	}
	return c.prev.drain() != c.written || c.prev.err != nil
}

// Err returns the first error writing the new cache.
func (c *FastCache) Err() error {
	if c.next == nil {
		return nil
	}
	return c.next.finish()
}
