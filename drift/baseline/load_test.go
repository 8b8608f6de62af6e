package baseline

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

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

// TestOpenKeepsNoCopy: verifying a signed baseline streams it: what Open
// allocates does not grow with the file (it used to read the file whole).
func TestOpenKeepsNoCopy(t *testing.T) {
	s, v, _ := keys(t)
	dir := t.TempDir()
	alloc := func(n int) (file int, allocated uint64) {
		snap := benchSnapshot(n)
		snap.Count = len(snap.Entries)
		data := encode(t, Header{Generation: 1}, snap)
		name := filepath.Join(dir, itoa(n))
		sig, err := s.Sign(data)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name+".sig", sig, 0o644); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		b, err := Open(name, LoadOptions{Verifier: v})
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		b.Reader.Close()
		return len(data), after.TotalAlloc - before.TotalAlloc
	}
	small, smallAlloc := alloc(2_000)
	large, largeAlloc := alloc(200_000)
	if large < 50*small {
		t.Fatalf("files of %d and %d bytes: not far enough apart", small, large)
	}
	// The gzip and bufio buffers are a fixed cost; a copy of the file
	// would add its size.
	if largeAlloc > smallAlloc+uint64(large)/10 {
		t.Errorf("Open allocated %d bytes for a %d-byte file and %d for a %d-byte one: it grows with the file", largeAlloc, large, smallAlloc, small)
	}
}

// FuzzOpen: the streamed check of Open accepts exactly the files Decode
// accepts, with the same header and entries.
func FuzzOpen(f *testing.F) {
	var buf bytes.Buffer
	Encode(&buf, Header{Generation: 3, Created: time.Unix(0, 0)}, sample())
	f.Add(buf.Bytes())
	f.Add([]byte("ICBASE\x00\x02"))
	f.Add(append([]byte("ICBASE\x00\x01"), make([]byte, 40)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		name := filepath.Join(t.TempDir(), "b")
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		h, want, werr := Decode(data)
		got, gerr := Load(name, LoadOptions{AllowUnsigned: true})
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("Decode: %v; Load (streamed): %v", werr, gerr)
		}
		if werr != nil {
			if errors.Is(werr, ErrFormat) != errors.Is(gerr, ErrFormat) {
				t.Fatalf("Decode: %v; Load (streamed): %v", werr, gerr)
			}
			return
		}
		if d := cmp.Diff(h, got.Header); d != "" {
			t.Fatalf("header (-Decode +Load):\n%s", d)
		}
		if d := cmp.Diff(want.Entries, got.Snapshot.Entries); d != "" {
			t.Fatalf("entries (-Decode +Load):\n%s", d)
		}
	})
}
