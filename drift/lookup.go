package drift

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// treeLookup finds entries of a live tree on disk, for a walk that streamed
// its entries: lstat, and readlink for symlinks; never hashes. The last
// component is never followed. Callers resolve symlinks component by
// component (the canonicalizer), so the parents they ask about are
// directories the walk also saw.
func treeLookup(root string) func(paths []string) map[string]*Entry {
	return func(paths []string) map[string]*Entry {
		out := map[string]*Entry{}
		for _, p := range paths {
			full := filepath.Join(root, p)
			var st unix.Stat_t
			if unix.Lstat(full, &st) != nil {
				continue
			}
			e := entryFromStat(p, &st)
			if e.Type == TypeSymlink {
				t, err := os.Readlink(full)
				if err != nil {
					continue
				}
				e.Link = t
			}
			out[p] = &e
		}
		return out
	}
}
