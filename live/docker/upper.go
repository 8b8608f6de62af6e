package docker

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"

	"github.com/docker/docker/api/types/container"
	"golang.org/x/sys/unix"
)

// maxUpperEntries bounds the entries of a writable layer listed from disk.
const maxUpperEntries = 5_000_000

// upperChanges lists the changes of a container's writable layer from the
// overlay2 upper directory, as the engine's diff does for overlay2: every
// entry of the upper directory is a change, added when no lower layer has
// the path and modified otherwise; a whiteout is a deletion; an opaque
// directory also deletes what the lower layers had below it. The cost
// follows the size of the writable layer, never the image's. Symbolic
// links are listed, never followed.
func upperChanges(ov *overlay) ([]container.FilesystemChange, error) {
	upper, lower := ov.layers[0], &overlay{layers: ov.layers[1:]}
	var out []container.FilesystemChange
	err := filepath.WalkDir(upper, func(full string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("list writable layer: %w", err)
		}
		if full == upper {
			return nil
		}
		if len(out) >= maxUpperEntries {
			return fmt.Errorf("list writable layer: more than %d entries", maxUpperEntries)
		}
		rel, err := filepath.Rel(upper, full)
		if err != nil {
			return err
		}
		p := "/" + filepath.ToSlash(rel)
		var st unix.Stat_t
		if err := unix.Lstat(full, &st); err != nil {
			if errors.Is(err, unix.ENOENT) {
				return nil // removed while listed
			}
			return fmt.Errorf("list writable layer: %w", err)
		}
		if isWhiteout(&st) {
			out = append(out, container.FilesystemChange{Kind: diffDeleted, Path: p})
			return nil
		}
		f, inLower, err := lower.lookup(p)
		if err != nil {
			return err
		}
		if inLower {
			f.dir.Close()
			out = append(out, container.FilesystemChange{Kind: diffModified, Path: p})
		} else {
			out = append(out, container.FilesystemChange{Kind: diffAdded, Path: p})
		}
		if d.IsDir() && inLower && opaqueAt(full) {
			return opaqueDeletions(lower, upper, p, &out)
		}
		return nil
	})
	return out, err
}

func opaqueAt(full string) bool {
	fd, err := unix.Open(full, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return false
	}
	defer unix.Close(fd)
	return isOpaque(fd)
}

// opaqueDeletions records the lower entries an opaque directory hides.
func opaqueDeletions(lower *overlay, upper, dir string, out *[]container.FilesystemChange) error {
	names, err := lower.list(dir)
	if err != nil {
		return err
	}
	for _, n := range names {
		var st unix.Stat_t
		if unix.Lstat(filepath.Join(upper, dir, n), &st) == nil {
			continue // replaced in the upper layer: listed by the walk
		}
		*out = append(*out, container.FilesystemChange{Kind: diffDeleted, Path: path.Join(dir, n)})
	}
	return nil
}
