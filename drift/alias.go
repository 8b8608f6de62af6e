package drift

import (
	"path"
	"strings"
)

// canonicalizer resolves the directory symlinks on the way to a path within
// the tree of one snapshot, lexically and never outside it: with merged
// /usr, dpkg lists /sbin/e2fsck while the tree holds /usr/sbin/e2fsck behind
// the /sbin → usr/sbin link. The last component is not resolved. It
// remembers each directory it resolved: package file lists share a few
// hundred directories.
type canonicalizer struct {
	s    *Snapshot
	dirs map[string]string
}

func newCanonicalizer(s *Snapshot) *canonicalizer {
	return &canonicalizer{s: s, dirs: map[string]string{}}
}

func (c *canonicalizer) path(p string) string {
	if c.s == nil || p == "/" {
		return p
	}
	dir, base := path.Split(p)
	dir = path.Clean(dir)
	if d, ok := c.dirs[dir]; ok {
		return join(d, base)
	}
	d := dir
	for hops := 0; hops < 16; hops++ {
		next, ok := resolveOnce(c.s, d)
		if !ok {
			break
		}
		d = next
	}
	c.dirs[dir] = d
	return join(d, base)
}

// resolveOnce replaces the first symlinked component of dir by its target.
func resolveOnce(s *Snapshot, dir string) (string, bool) {
	cur := "/"
	rest := strings.Split(strings.TrimPrefix(dir, "/"), "/")
	for i, c := range rest {
		if c == "" {
			continue
		}
		next := join(cur, c)
		e := s.Find(next)
		if e == nil {
			return dir, false
		}
		if e.Type == TypeSymlink {
			target := e.Link
			if !strings.HasPrefix(target, "/") {
				target = path.Join(cur, target)
			}
			// path.Clean keeps the result inside the tree: "/.." is "/".
			return path.Clean(path.Join("/", target, strings.Join(rest[i+1:], "/"))), true
		}
		cur = next
	}
	return dir, false
}
