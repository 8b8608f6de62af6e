package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/drift/baseline"
)

// defaultFastCache is where --fast keeps the digests of the last check.
const defaultFastCache = "/var/lib/immutcheck/fast-cache"

// fastCacheFiles are the old --fast cache, read as a stream while the tree
// is walked, and the new one, written next to it as the walk goes.
type fastCacheFiles struct {
	cache *drift.FastCache
	prev  *os.File
	next  *baseline.AtomicFile
}

// openFastCache opens the cache of the last check (none is an empty
// cache) without following a symlink or waiting on a FIFO, and starts the
// new one, readable by its owner only.
func openFastCache(name, root string) (*fastCacheFiles, error) {
	fc := &fastCacheFiles{}
	fd, err := unix.Open(name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("open fast cache: %w", err)
	default:
		fc.prev = os.NewFile(uintptr(fd), name)
		if fi, err := fc.prev.Stat(); err != nil || !fi.Mode().IsRegular() {
			fc.prev.Close()
			return nil, fmt.Errorf("open fast cache: %s is not a regular file", filepath.Base(name))
		}
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		fc.close()
		return nil, fmt.Errorf("fast cache: %w", err)
	}
	if fc.next, err = baseline.Create(name, 0o600); err != nil {
		fc.close()
		return nil, fmt.Errorf("fast cache: %w", err)
	}
	var prev io.ReaderAt
	if fc.prev != nil {
		prev = fc.prev
	}
	fc.cache = drift.NewFastCache(root, prev, fc.next)
	return fc, nil
}

// saveFastCache replaces the cache with the one just written, and only when
// it changed: an unchanged tree costs no write and no fsync.
func saveFastCache(c *drift.FastCache, fc *fastCacheFiles) error {
	if err := c.Finish(); err != nil {
		return err
	}
	if !c.Changed() {
		return nil
	}
	return fc.next.Commit()
}

// close releases both files; the new one is removed unless committed.
func (fc *fastCacheFiles) close() {
	if fc.prev != nil {
		fc.prev.Close()
	}
	if fc.next != nil {
		fc.next.Abort()
	}
}
