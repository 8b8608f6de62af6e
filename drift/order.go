package drift

import "strings"

// Less orders paths component by component, the order of a depth-first walk
// that visits each directory's names sorted as strings: "/a/b" sorts before
// "/a.b" although '.' < '/' in plain string order. Snapshots keep their
// entries in this order so that Compare is a merge.
func Less(a, b string) bool {
	return comparePaths(a, b) < 0
}

func comparePaths(a, b string) int {
	for {
		if a == b {
			return 0
		}
		ai, bi := strings.IndexByte(a, '/'), strings.IndexByte(b, '/')
		ac, bc := a, b
		if ai >= 0 {
			ac = a[:ai]
		}
		if bi >= 0 {
			bc = b[:bi]
		}
		if ac != bc {
			return strings.Compare(ac, bc)
		}
		// Same component: the one that ends here is the parent.
		switch {
		case ai < 0:
			return -1
		case bi < 0:
			return 1
		}
		a, b = a[ai+1:], b[bi+1:]
	}
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
