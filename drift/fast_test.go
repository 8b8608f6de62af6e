package drift

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestFastCache: a repeat walk reuses the digests of unchanged files, and a
// file rewritten with the same size and its old mtime restored is still
// hashed again (its ctime moved).
func TestFastCache(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for i := range 20 {
		must(t, os.WriteFile(filepath.Join(root, fmt.Sprint(i)), []byte{byte(i)}, 0o644))
	}
	cache := filepath.Join(t.TempDir(), "fast")
	run := func() (*Snapshot, int) {
		c, err := LoadFastCache(cache, root)
		must(t, err)
		s := walkT(t, root, WalkOptions{Fast: c})
		var buf bytes.Buffer
		must(t, c.Save(&buf))
		must(t, os.WriteFile(cache, buf.Bytes(), 0o600))
		return s, c.Hits()
	}
	full, hits := run()
	if hits != 0 {
		t.Fatalf("first run: %d hits", hits)
	}
	again, hits := run()
	if hits != 20 || len(Compare(full, again, nil).Changes) != 0 {
		t.Fatalf("second run: %d hits, changes %v", hits, Compare(full, again, nil).Changes)
	}
	p := filepath.Join(root, "7")
	fi, _ := os.Stat(p)
	time.Sleep(10 * time.Millisecond)
	must(t, os.WriteFile(p, []byte{99}, 0o644))
	must(t, os.Chtimes(p, fi.ModTime(), fi.ModTime()))
	changed, hits := run()
	c := Compare(full, changed, nil)
	if hits != 19 || len(c.Changes) != 1 || c.Changes[0].What != DiffContent {
		t.Errorf("after rewrite with old mtime: %d hits, changes %+v", hits, c.Changes)
	}
	// A cache of another root is not used.
	other, err := LoadFastCache(cache, "/elsewhere")
	must(t, err)
	if len(other.Files) != 0 {
		t.Error("cache of another root used")
	}
}
