package drift

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// readAheadTree makes a tree with more directories than the read-ahead
// holds, wide and deep, and names whose Less order differs from plain
// string order ("a" + "/..." before "a.b").
func readAheadTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for a := range 6 {
		for b := range 6 {
			for c := range 4 {
				dir := filepath.Join(root, fmt.Sprintf("w%d", a), fmt.Sprintf("x%d", b), fmt.Sprintf("y%d", c))
				must(t, os.MkdirAll(dir, 0o755))
				must(t, os.WriteFile(filepath.Join(dir, "f"), []byte(dir), 0o644))
			}
		}
	}
	deep := filepath.Join(root, "deep")
	for i := range 150 {
		deep = filepath.Join(deep, fmt.Sprint("d", i))
	}
	must(t, os.MkdirAll(deep, 0o755))
	for _, d := range []string{"a/b", "a.b", "a-b", "a0"} {
		must(t, os.MkdirAll(filepath.Join(root, "order", d), 0o755))
	}
	must(t, os.Symlink("a", filepath.Join(root, "order", "a.link")))
	// A directory of more than twice maxAhead names, with subdirectories
	// in its tail.
	big := filepath.Join(root, "big")
	must(t, os.Mkdir(big, 0o755))
	for i := range 2*maxAhead + 100 {
		name := filepath.Join(big, fmt.Sprintf("n%05d", i))
		if i%500 == 7 {
			must(t, os.MkdirAll(filepath.Join(name, "sub"), 0o755))
			continue
		}
		must(t, os.WriteFile(name, nil, 0o644))
	}
	return root
}

// TestWalkReadAhead: whatever the number of listers, the walk emits the
// tree in Less order, each entry with what lstat says of it, the same
// entries filepath.WalkDir visits (it also descends in sorted name order);
// and it closes every directory it opened, also when it is cancelled while
// listings are read ahead of it or in the tail of a large directory.
func TestWalkReadAhead(t *testing.T) {
	// Not parallel: it counts the process's descriptors.
	root := readAheadTree(t)
	var want []string
	must(t, filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		must(t, err)
		rel, _ := filepath.Rel(root, p)
		want = append(want, filepath.Join("/", rel))
		return nil
	}))
	for _, workers := range []int{1, 2, 7} {
		s := walkT(t, root, WalkOptions{Workers: workers})
		got := paths(s)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%d workers: walk visited\n%v\nwant\n%v", workers, got, want)
		}
		for i := 1; i < len(got); i++ {
			if !Less(got[i-1], got[i]) {
				t.Fatalf("%d workers: %s before %s", workers, got[i-1], got[i])
			}
		}
		for _, e := range s.Entries {
			fi, err := os.Lstat(filepath.Join(root, e.Path))
			must(t, err)
			if e.Status != StatusOK || uint32(fi.Mode().Perm()) != e.Mode&0o777 || fi.Mode().IsDir() != (e.Type == TypeDir) {
				t.Errorf("%d workers: %s: %+v, lstat %v", workers, e.Path, e, fi.Mode())
			}
		}
	}
	closesDescriptors(t, root)
}

// openFDs counts this process's open descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	des, err := os.ReadDir("/proc/self/fd")
	must(t, err)
	return len(des)
}

func closesDescriptors(t *testing.T, root string) {
	before := openFDs(t)
	walkT(t, root, WalkOptions{Workers: 2})
	if n := openFDs(t); n != before {
		t.Errorf("after a walk: %d descriptors open, %d before", n, before)
	}
	for _, after := range []int{1, 5, 11, 40, 200} {
		ctx, cancel := context.WithCancel(context.Background())
		dirs := 0
		_, err := Walk(ctx, root, WalkOptions{Workers: 2, Progress: func(int) {
			if dirs++; dirs == after {
				cancel()
			}
		}})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled after %d directories: %v", after, err)
		}
		if n := openFDs(t); n != before {
			t.Errorf("cancelled after %d directories: %d descriptors open, %d before", after, n, before)
		}
	}
}
