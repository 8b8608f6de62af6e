package baseline

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/drift/pkgdb"
)

// sample is a snapshot with every entry type and hostile strings.
func sample() *drift.Snapshot {
	return &drift.Snapshot{
		PackageDB: "dpkg",
		Packages:  []pkgdb.Package{{Name: "coreutils", Version: "9.1-1", Arch: "amd64", Files: []string{"/usr/bin/ls"}}},
		Accounts: drift.Accounts{
			Users:  []drift.User{{Name: "root", UID: "0", GID: "0", Home: "/root", Shell: "/bin/bash"}},
			Shadow: map[string]string{"root": "0011223344556677"},
		},
		Entries: []drift.Entry{
			{Path: "/", Type: drift.TypeDir, Mode: 0o755},
			{Path: "/dev", Type: drift.TypeDir, Mode: 0o755},
			{Path: "/dev/null", Type: drift.TypeCharDevice, Mode: 0o666, Major: 1, Minor: 3},
			{Path: "/dev/sda", Type: drift.TypeBlockDevice, Mode: 0o660, GID: 6, Major: 8},
			{Path: "/etc", Type: drift.TypeDir, Mode: 0o755, Implicit: true},
			{Path: "/etc/\x1b[31mred\nline", Type: drift.TypeRegular, Mode: 0o644, Nlink: 1},
			{Path: "/etc/fifo", Type: drift.TypeFIFO, Mode: 0o600},
			{Path: "/etc/shadow", Type: drift.TypeRegular, Mode: 0o640, GID: 42, Size: 3, Nlink: 2, SHA256: [32]byte{1, 2, 3}},
			{Path: "/etc.d", Type: drift.TypeSocket, Mode: 0o777},
			{Path: "/usr/bin/ping", Type: drift.TypeRegular, Mode: 0o4755, Size: 1 << 40, Nlink: 1, Exec: true, Caps: []byte{0, 1, ',', '\n', 0}},
			{Path: "/usr/bin/x", Type: drift.TypeSymlink, Mode: 0o777, Link: "../../etc/shadow", UID: 1 << 31},
		},
	}
}

func encode(t *testing.T, h Header, s *drift.Snapshot) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, h, s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	h := Header{Source: "registry.example/app@sha256:abc", Digest: "sha256:abc", ToolVersion: "test", Created: time.Unix(1700000000, 0).UTC(), Generation: 7}
	s := sample()
	gotH, gotS, err := Decode(encode(t, h, s))
	if err != nil {
		t.Fatal(err)
	}
	h.FormatVersion = FormatVersion
	s.Count = len(s.Entries)
	if d := cmp.Diff(h, gotH); d != "" {
		t.Errorf("header (-want +got):\n%s", d)
	}
	if d := cmp.Diff(s, gotS); d != "" {
		t.Errorf("snapshot (-want +got):\n%s", d)
	}
}

// TestCorruptRefused: a truncated or bit-flipped baseline is refused as
// corrupt (RELIABILITY F26), never read as "everything new" or "no drift".
func TestCorruptRefused(t *testing.T) {
	t.Parallel()
	good := encode(t, Header{Generation: 1}, sample())
	cases := map[string][]byte{
		"empty":          {},
		"magic only":     good[:8],
		"truncated half": good[:len(good)/2],
		"no trailer":     good[:len(good)-32],
		"trailing byte":  append(append([]byte{}, good...), 0),
		"not a baseline": []byte("{\"entries\": []}"),
	}
	for i := 0; i < len(good); i += max(1, len(good)/40) {
		b := append([]byte{}, good...)
		b[i] ^= 0x10
		cases["bit flip at "+string(rune('A'+i%26))+itoa(i)] = b
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, s, err := Decode(b)
			if !errors.Is(err, ErrCorrupt) || s != nil {
				t.Fatalf("Decode = %v, %v; want ErrCorrupt and no snapshot", s, err)
			}
		})
	}
}

// TestEncodeRefusesIncomplete: a baseline never records unread entries.
func TestEncodeRefusesIncomplete(t *testing.T) {
	t.Parallel()
	s := sample()
	s.Entries[6].Status = drift.StatusUnreadable
	if err := Encode(&bytes.Buffer{}, Header{}, s); err == nil {
		t.Fatal("Encode of an incomplete snapshot succeeded")
	}
}

func itoa(i int) string {
	return string(rune('0'+i/1000%10)) + string(rune('0'+i/100%10)) + string(rune('0'+i/10%10)) + string(rune('0'+i%10))
}

// TestOldFormatRefused: a baseline of format version 1 (written before the
// entries came first and the metadata last) is refused with ErrFormat and a
// message saying what to do, not misread.
func TestOldFormatRefused(t *testing.T) {
	t.Parallel()
	var body bytes.Buffer
	body.Write(magic)
	body.WriteByte(1)
	zw := gzip.NewWriter(&body)
	zw.Write([]byte("\x2b{\"header\":{\"formatVersion\":1},\"accounts\":{}}\x00"))
	zw.Close()
	sum := sha256.Sum256(body.Bytes())
	v1 := append(body.Bytes(), sum[:]...)
	_, s, err := Decode(v1)
	if !errors.Is(err, ErrFormat) || s != nil || !strings.Contains(err.Error(), "baseline create") {
		t.Fatalf("Decode(v1) = %v, %v; want ErrFormat naming baseline create", s, err)
	}
	// Damage is still reported as such, whatever the version byte says.
	v1[len(v1)-1] ^= 1
	if _, _, err := Decode(v1); !errors.Is(err, ErrCorrupt) {
		t.Errorf("damaged v1: %v, want ErrCorrupt", err)
	}
}

// TestReaderStreams: the Reader yields the entries one by one, then the
// metadata, and finds entries again by path.
func TestReaderStreams(t *testing.T) {
	t.Parallel()
	s := sample()
	r, err := NewReader(encode(t, Header{Generation: 3}, s))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Finish(); err == nil {
		t.Error("Finish before the entries were read succeeded")
	}
	var got []drift.Entry
	for {
		en, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if en == nil {
			break
		}
		got = append(got, *en)
	}
	if d := cmp.Diff(s.Entries, got); d != "" {
		t.Errorf("entries (-want +got):\n%s", d)
	}
	m, err := r.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if m.PackageDB != "dpkg" || len(m.Packages) != 1 || m.Count != len(s.Entries) || len(m.Entries) != 0 || r.Header().Generation != 3 {
		t.Errorf("metadata %+v header %+v", m, r.Header())
	}
	found := m.FindAll([]string{"/etc/shadow", "/usr/bin/x", "/nope"})
	if len(found) != 2 || found["/etc/shadow"].SHA256 != s.Entries[7].SHA256 || found["/usr/bin/x"].Link != "../../etc/shadow" {
		t.Errorf("FindAll = %v", found)
	}
}

// TestWriterRefusesOutOfOrder: entries must come in Less order.
func TestWriterRefusesOutOfOrder(t *testing.T) {
	t.Parallel()
	w, err := NewWriter(&bytes.Buffer{}, Header{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(&drift.Entry{Path: "/a.b", Type: drift.TypeDir}); err != nil {
		t.Fatal(err)
	}
	if err := w.Add(&drift.Entry{Path: "/a/b", Type: drift.TypeDir}); err == nil {
		t.Error("/a/b after /a.b accepted")
	}
}

func TestCleanPath(t *testing.T) {
	t.Parallel()
	for p, want := range map[string]bool{"/": true, "/a": true, "/a/b.c": true, "/...": true, "": false, "a": false, "/a/": false,
		"//a": false, "/a//b": false, "/./a": false, "/a/..": false, "/a/.": false, "/..": false} {
		if got := cleanPath(p); got != want {
			t.Errorf("cleanPath(%q) = %v, want %v", p, got, want)
		}
	}
}

// TestLongRecords: records longer than the first peek of the decoder, up
// to the longest allowed (a path, a link target and capabilities of 64 KiB
// each), and records that straddle the read buffer, decode as written.
func TestLongRecords(t *testing.T) {
	t.Parallel()
	s := &drift.Snapshot{Entries: []drift.Entry{{Path: "/", Type: drift.TypeDir, Mode: 0o755}}}
	long := func(n int) string { return strings.Repeat("x", n) }
	for i, n := range []int{4000, 4090, 5000, 17000, 60000, maxPathLen - 5} {
		name := "/" + string(rune('a'+i)) + long(n-2)
		e := drift.Entry{Path: name, Type: drift.TypeSymlink, Mode: 0o777, Link: long(min(n, maxAttrLen))}
		if i%2 == 1 {
			e = drift.Entry{Path: name, Type: drift.TypeRegular, Mode: 0o755, Size: 1, Nlink: 1, Caps: []byte(long(min(n, maxAttrLen)))}
		}
		s.Entries = append(s.Entries, e)
		for j := range 300 { // many short records between the long ones
			s.Entries = append(s.Entries, drift.Entry{Path: name + "/" + itoa(j), Type: drift.TypeRegular, Mode: 0o644, Nlink: 1})
		}
	}
	s.Count = len(s.Entries)
	_, got, err := Decode(encode(t, Header{Generation: 1}, s))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(s.Entries, got.Entries); d != "" {
		t.Errorf("entries (-written +read):\n%s", d)
	}
}

// TestWriterRefusesTooLong: a path or attribute longer than a reader
// accepts is refused when written, not found out when the baseline is used.
func TestWriterRefusesTooLong(t *testing.T) {
	t.Parallel()
	for name, e := range map[string]drift.Entry{
		"path": {Path: "/" + strings.Repeat("x", maxPathLen), Type: drift.TypeDir},
		"link": {Path: "/l", Type: drift.TypeSymlink, Link: strings.Repeat("x", maxAttrLen+1)},
		"caps": {Path: "/f", Type: drift.TypeRegular, Caps: make([]byte, maxAttrLen+1)},
	} {
		w, err := NewWriter(&bytes.Buffer{}, Header{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Add(&drift.Entry{Path: "/", Type: drift.TypeDir}); err != nil {
			t.Fatal(err)
		}
		if err := w.Add(&e); err == nil || !strings.Contains(err.Error(), "too long") {
			t.Errorf("%s: Add = %v, want a too long error", name, err)
		}
	}
}
