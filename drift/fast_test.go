package drift

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestFastCache: a repeat walk reuses the digests of unchanged files and
// writes the same cache (nothing to replace); a file rewritten with the
// same size and its old mtime restored is still hashed again (its ctime
// moved); a cache of another root or a damaged one only makes lookups miss.
func TestFastCache(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for i := range 20 {
		must(t, os.MkdirAll(filepath.Join(root, fmt.Sprint("d", i%3)), 0o755))
		must(t, os.WriteFile(filepath.Join(root, fmt.Sprint("d", i%3), fmt.Sprint(i)), []byte{byte(i)}, 0o644))
	}
	var cache []byte
	run := func(root string, prev []byte) (*Snapshot, *FastCache, []byte) {
		var next bytes.Buffer
		c := NewFastCache(root, nil, &next)
		if prev != nil {
			c = NewFastCache(root, bytes.NewReader(prev), &next)
		}
		c.recent = time.Now().Add(time.Hour).UnixNano() // the files are new: trust them anyway
		s := walkT(t, root, WalkOptions{Fast: c})
		must(t, c.Finish())
		return s, c, next.Bytes()
	}
	full, c, cache := run(root, nil)
	if c.Hits() != 0 || !c.Changed() {
		t.Fatalf("first run: %d hits, changed %v", c.Hits(), c.Changed())
	}
	again, c, next := run(root, cache)
	if c.Hits() != 20 || c.Changed() || len(next) >= len(cache)/2 || len(Compare(full, again, nil).Changes) != 0 {
		t.Fatalf("second run: %d hits, changed %v, %d bytes written, changes %v", c.Hits(), c.Changed(), len(next), Compare(full, again, nil).Changes)
	}
	p := filepath.Join(root, "d1", "7")
	fi, _ := os.Stat(p)
	time.Sleep(10 * time.Millisecond)
	must(t, os.WriteFile(p, []byte{99}, 0o644))
	must(t, os.Chtimes(p, fi.ModTime(), fi.ModTime()))
	changed, c, next := run(root, cache)
	cmp := Compare(full, changed, nil)
	if c.Hits() != 19 || !c.Changed() || len(cmp.Changes) != 1 || cmp.Changes[0].What != DiffContent {
		t.Errorf("after rewrite with old mtime: %d hits, changed %v, changes %+v", c.Hits(), c.Changed(), cmp.Changes)
	}
	// The changed cache, partly copied from the old one, is the cache a
	// walk without one writes.
	if _, _, fresh := run(root, nil); !bytes.Equal(next, fresh) {
		t.Errorf("cache written from the first change on differs from a fresh one:\n%q\n%q", next, fresh)
	}
	// A removed file leaves a record unused: the cache is rewritten.
	must(t, os.Remove(filepath.Join(root, "d2", "2")))
	_, c, afterRm := run(root, next)
	if _, _, fresh := run(root, nil); c.Hits() != 19 || !c.Changed() || !bytes.Equal(afterRm, fresh) {
		t.Errorf("after removal: %d hits, changed %v, same as a fresh cache %v", c.Hits(), c.Changed(), bytes.Equal(afterRm, fresh))
	}
	// A cache of another root is not used.
	other := t.TempDir()
	_, c, _ = run(other, cache)
	if c.Hits() != 0 {
		t.Error("cache of another root used")
	}
	// A truncated cache gives the hits before the cut and no false ones.
	_, c, _ = run(root, cache[:len(cache)/2])
	if c.Hits() == 0 || c.Hits() >= 19 || !c.Changed() {
		t.Errorf("truncated cache: %d hits, changed %v", c.Hits(), c.Changed())
	}
}

// TestFastCacheRacy: a file whose ctime is within RacyWindow of the walk
// is not cached, so a same-size change in the same timestamp tick cannot
// hide behind an unchanged stat tuple.
func TestFastCacheRacy(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	must(t, os.WriteFile(filepath.Join(root, "new"), []byte("1"), 0o644))
	var first, second bytes.Buffer
	walkT(t, root, WalkOptions{Fast: NewFastCache(root, nil, &first)})
	c := NewFastCache(root, bytes.NewReader(first.Bytes()), &second)
	walkT(t, root, WalkOptions{Fast: c})
	if c.Hits() != 0 || c.written != 0 {
		t.Errorf("a file changed just now was cached: %d hits, %d written", c.Hits(), c.written)
	}
}

// FuzzFastCache: no cache file makes the reader panic, loop or allocate
// without bound, and lookups in walk order never go backwards.
func FuzzFastCache(f *testing.F) {
	var buf bytes.Buffer
	fw := newFastWriter(&buf, "/r")
	for _, p := range []string{"/a", "/a/b", "/a/b.c", "/a.b", "/z"} {
		e := Entry{Path: p, Type: TypeRegular, Exec: p == "/z", Caps: []byte("c")[:len(p)%2]}
		fw.write(&e, StatKey{Ino: uint64(len(p)), Size: -1, Mtime: -5})
	}
	must(f, fw.finish())
	f.Add(buf.Bytes())
	f.Add(append([]byte(nil), fastMagic...))
	f.Add(append(append([]byte(nil), fastMagic...), 2, '/', 'r', 0, 0xff, 0xff, 0xff, 0xff, 0x0f))
	f.Fuzz(func(t *testing.T, b []byte) {
		fr := newFastReader(bytes.NewReader(b), "/r")
		for _, p := range []string{"/a", "/a/b", "/a.b", "/m", "/z"} {
			fr.lookup(p, StatKey{})
		}
		if n := fr.drain(); n > len(b) {
			t.Fatalf("%d records from %d bytes", n, len(b))
		}
	})
}
