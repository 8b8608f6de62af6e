package baseline

import (
	"bytes"
	"errors"
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
