package baseline

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/drift"
)

// TestOpenRereads: Open does not keep the file's bytes; its Reader reads the
// file again, and a file changed after it was verified (same size, one byte
// flipped: a swap between the check and the use) fails Finish, so nothing
// decoded from it is used.
func TestOpenRereads(t *testing.T) {
	t.Parallel()
	s := benchSnapshot(20_000) // larger than any read-ahead buffer
	s.Count = len(s.Entries)
	name := filepath.Join(t.TempDir(), "b")
	data := encode(t, Header{Generation: 1}, s)
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	read := func(flip bool) ([]drift.Entry, *drift.Snapshot, error) {
		b, err := Open(name, LoadOptions{AllowUnsigned: true})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Reader.Close()
		if b.Reader.data != nil {
			t.Error("Open kept the file's bytes")
		}
		if flip {
			tampered := append([]byte(nil), data...)
			tampered[len(tampered)-100] ^= 1 // late in the gzip stream
			if err := os.WriteFile(name, tampered, 0o644); err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(name, data, 0o644)
		}
		var got []drift.Entry
		for {
			en, err := b.Reader.Next()
			if err != nil {
				return got, nil, err
			}
			if en == nil {
				break
			}
			got = append(got, *en)
		}
		m, err := b.Reader.Finish()
		if err == nil && !flip {
			// Lookups read the file again, while it is open.
			if found := m.FindAll([]string{"/usr/d0100/file-0042.so"}); found["/usr/d0100/file-0042.so"] == nil {
				t.Error("FindAll after Open found nothing")
			}
		}
		return got, m, err
	}
	got, m, err := read(false)
	if err != nil || m.Count != len(s.Entries) {
		t.Fatalf("unchanged file: %v, %+v", err, m)
	}
	if d := cmp.Diff(s.Entries, got); d != "" {
		t.Errorf("entries (-want +got):\n%s", d)
	}
	if _, _, err := read(true); !errors.Is(err, ErrCorrupt) {
		t.Errorf("file changed after verification: %v, want ErrCorrupt", err)
	}
}
