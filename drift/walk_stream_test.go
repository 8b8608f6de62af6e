package drift

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestWalkEmit: a streamed walk emits, in Less order, exactly the entries
// a kept walk records, across more than one window of entries and with
// hard links whose names are thousands of entries apart.
func TestWalkEmit(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	for d := range 60 {
		dir := filepath.Join(root, fmt.Sprintf("d%02d", d))
		must(t, os.Mkdir(dir, 0o755))
		for f := range 100 {
			must(t, os.WriteFile(filepath.Join(dir, fmt.Sprint("f", f)), []byte(fmt.Sprint(d, f)), 0o644))
		}
		must(t, os.Symlink("f1", filepath.Join(dir, "link")))
	}
	must(t, os.Link(filepath.Join(root, "d00", "f1"), filepath.Join(root, "d59", "hard")))
	must(t, os.Link(filepath.Join(root, "d00", "f2"), filepath.Join(root, "d00", "f2.hard")))
	kept := walkT(t, root, WalkOptions{})
	var streamed []Entry
	s := walkT(t, root, WalkOptions{Workers: 3, Emit: func(e *Entry) { streamed = append(streamed, *e) }})
	if len(s.Entries) != 0 || s.Count != len(streamed) || kept.Count != len(kept.Entries) {
		t.Errorf("streamed walk kept %d entries, counted %d of %d", len(s.Entries), s.Count, len(streamed))
	}
	if d := cmp.Diff(kept.Entries, streamed); d != "" {
		t.Errorf("streamed entries differ (-kept +streamed):\n%s", d)
	}
	for i := 1; i < len(streamed); i++ {
		if !Less(streamed[i-1].Path, streamed[i].Path) {
			t.Fatalf("out of order: %s then %s", streamed[i-1].Path, streamed[i].Path)
		}
	}
	if e := kept.Find("/d59/hard"); e == nil || e.Nlink != 2 || e.SHA256 != kept.Find("/d00/f1").SHA256 || e.Status != StatusOK {
		t.Errorf("hard link: %+v", e)
	}
	if len(kept.Entries) != 1+60*102+2 {
		t.Errorf("%d entries", len(kept.Entries))
	}
}
