package baseline

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/immutcheck/immutcheck/drift"
)

func benchSnapshot(n int) *drift.Snapshot {
	s := &drift.Snapshot{Entries: []drift.Entry{{Path: "/", Type: drift.TypeDir, Mode: 0o755}}}
	for d := range n / 100 {
		s.Entries = append(s.Entries, drift.Entry{Path: fmt.Sprintf("/usr/d%04d", d), Type: drift.TypeDir, Mode: 0o755})
		for f := range 100 {
			e := drift.Entry{Path: fmt.Sprintf("/usr/d%04d/file-%04d.so", d, f), Type: drift.TypeRegular, Mode: 0o644, Size: 4096, Nlink: 1}
			e.SHA256[0], e.SHA256[1] = byte(d), byte(f)
			s.Entries = append(s.Entries, e)
		}
	}
	s.Entries = append([]drift.Entry{s.Entries[0], {Path: "/usr", Type: drift.TypeDir, Mode: 0o755}}, s.Entries[1:]...)
	return s
}

// BenchmarkEncode and BenchmarkDecode measure the codec on 50,000 entries.
func BenchmarkEncode(b *testing.B) {
	s := benchSnapshot(50_000)
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := Encode(&buf, Header{}, s); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(buf.Len())/float64(len(s.Entries)), "bytes/entry")
	}
}

func BenchmarkDecode(b *testing.B) {
	var buf bytes.Buffer
	if err := Encode(&buf, Header{}, benchSnapshot(50_000)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Decode(buf.Bytes()); err != nil {
			b.Fatal(err)
		}
	}
}
