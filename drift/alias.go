package drift

import (
	"path"
	"strings"
)

// canonical resolves the directory symlinks on the way to p within the tree
// of s, lexically and never outside it: with merged /usr, dpkg lists
// /sbin/e2fsck while the tree holds /usr/sbin/e2fsck behind the /sbin →
// usr/sbin link. The last component is not resolved. It returns p when
// nothing on the way is a symlink.
func canonical(s *Snapshot, p string) string {
	if s == nil || p == "/" {
		return p
	}
	dir, base := path.Split(p)
	dir = path.Clean(dir)
	for hops := 0; hops < 16; hops++ {
		d, ok := resolveOnce(s, dir)
		if !ok {
			break
		}
		dir = d
	}
	return join(dir, base)
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
