package drift

import (
	"strings"
	"testing"
)

// componentCompare is the definition of Less order: component by component,
// a parent before its children.
func componentCompare(a, b string) int {
	ac, bc := strings.Split(a, "/"), strings.Split(b, "/")
	for i := range min(len(ac), len(bc)) {
		if c := strings.Compare(ac[i], bc[i]); c != 0 {
			return c
		}
	}
	switch {
	case len(ac) < len(bc):
		return -1
	case len(ac) > len(bc):
		return 1
	}
	return 0
}

func TestComparePathsBytes(t *testing.T) {
	t.Parallel()
	ordered := []string{"/", "/a", "/a/b", "/a/b/c", "/a/b.c", "/a/bc", "/a-b", "/a.b", "/a0", "/b", "/b/\xff", "/b\x01"}
	for i := range ordered {
		for j := range ordered {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := comparePaths(ordered[i], ordered[j]); got != want {
				t.Errorf("comparePaths(%q, %q) = %d, want %d", ordered[i], ordered[j], got, want)
			}
			if got := comparePaths([]byte(ordered[i]), []byte(ordered[j])); got != want {
				t.Errorf("comparePaths([]byte %q, %q) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
}

// FuzzLessOrder: the byte-wise order with '/' first is the component order
// for every pair of absolute paths without empty components.
func FuzzLessOrder(f *testing.F) {
	f.Add("/a/b", "/a.b")
	f.Add("/usr/lib", "/usr/lib64/x")
	f.Add("/", "/a")
	f.Fuzz(func(t *testing.T, a, b string) {
		if !validPath(a) || !validPath(b) {
			return
		}
		if got, want := comparePaths(a, b), componentCompare(a, b); got != want {
			t.Fatalf("comparePaths(%q, %q) = %d, component order %d", a, b, got, want)
		}
	})
}

func validPath(p string) bool {
	if p == "/" {
		return true
	}
	if !strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") || strings.Contains(p, "//") || strings.ContainsRune(p, 0) {
		return false
	}
	return true
}
