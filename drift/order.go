package drift

import "strings"

// Less orders paths as a depth-first walk visits them when it lists each
// directory's names sorted as byte strings: byte by byte, with '/' sorting
// before every other byte, so that "/a/b" sorts before "/a.b" although
// '.' < '/' in plain string order, and a directory directly precedes its
// contents. Comparing component by component gives the same order. Snapshots,
// baselines and the --fast cache keep their entries in this order so that
// comparing them is a merge.
func Less(a, b string) bool {
	return comparePaths(a, b) < 0
}

// comparePaths returns -1, 0 or 1 as a sorts before, equal to or after b in
// Less order.
func comparePaths[A, B ~string | ~[]byte](a A, b B) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		switch {
		case x == '/':
			return -1
		case y == '/':
			return 1
		case x < y:
			return -1
		}
		return 1
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

// parent returns the directory of p ("/" for "/x", "" for "/").
func parent(p string) string {
	if p == "/" {
		return ""
	}
	i := strings.LastIndexByte(p, '/')
	if i == 0 {
		return "/"
	}
	return p[:i]
}

// under reports whether p is dir or inside it.
func under(p, dir string) bool {
	if dir == "/" {
		return true
	}
	return p == dir || strings.HasPrefix(p, dir) && p[len(dir)] == '/'
}

// join appends a name to a directory path.
func join(dir, name string) string {
	if dir == "/" {
		return "/" + name
	}
	return dir + "/" + name
}
