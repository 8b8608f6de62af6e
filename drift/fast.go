package drift

import (
	"bufio"
	"encoding/gob"
	"fmt"
	"io"
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// FastCache lets a repeat check skip hashing files whose (device, inode,
// size, mode, owner, mtime, ctime) are exactly what they were when the
// cache recorded their digest. It trusts two things, and --fast is
// therefore never the default: that ctime changes whenever content,
// mode, owner or attributes change (no unprivileged user can set ctime;
// root can, by moving the system clock), and that the cache file itself
// was not edited (it is written 0600 by root next to the generation
// state).
type FastCache struct {
	Root  string
	Files map[string]FastRecord

	mu   sync.Mutex
	next map[string]FastRecord
	hits int
}

// FastRecord is what the cache keeps per regular file.
type FastRecord struct {
	Key    StatKey
	SHA256 [32]byte
	Caps   []byte
	Exec   bool
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

// NewFastCache returns an empty cache for root.
func NewFastCache(root string) *FastCache {
	return &FastCache{Root: root, Files: map[string]FastRecord{}}
}

// lookup returns the cached record of p when its stat tuple is unchanged.
func (c *FastCache) lookup(p string, st *unix.Stat_t) (FastRecord, bool) {
	r, ok := c.Files[p]
	if !ok || r.Key != statKey(st) {
		return FastRecord{}, false
	}
	c.mu.Lock()
	c.hits++
	c.mu.Unlock()
	return r, true
}

// record notes the digest of p for the next run.
func (c *FastCache) record(p string, st *unix.Stat_t, sum [32]byte, caps []byte, exec bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.next == nil {
		c.next = map[string]FastRecord{}
	}
	c.next[p] = FastRecord{Key: statKey(st), SHA256: sum, Caps: caps, Exec: exec}
}

// Hits returns how many files were not hashed thanks to the cache.
func (c *FastCache) Hits() int { return c.hits }

// Save writes the records of the last walk (only files read completely).
func (c *FastCache) Save(w io.Writer) error {
	bw := bufio.NewWriter(w)
	if err := gob.NewEncoder(bw).Encode(FastCache{Root: c.Root, Files: c.next}); err != nil {
		return fmt.Errorf("save fast cache: %w", err)
	}
	return bw.Flush()
}

// LoadFastCache reads a cache written by Save for root; a cache of
// another root is discarded. The file is bounded to 1 GiB.
func LoadFastCache(name, root string) (*FastCache, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK, 0)
	if os.IsNotExist(err) {
		return NewFastCache(root), nil
	}
	if err != nil {
		return nil, fmt.Errorf("load fast cache: %w", err)
	}
	defer f.Close()
	var c FastCache
	if err := gob.NewDecoder(bufio.NewReader(io.LimitReader(f, 1<<30))).Decode(&c); err != nil {
		return nil, fmt.Errorf("load fast cache: %w", err)
	}
	if c.Root != root || c.Files == nil {
		return NewFastCache(root), nil
	}
	return &c, nil
}
