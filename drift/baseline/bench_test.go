package baseline

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/immutcheck/immutcheck/drift"
)

// benchSnapshot is a tree of n files, 100 per directory, with random
// digests like a real tree's.
func benchSnapshot(n int) *drift.Snapshot {
	rng := rand.New(rand.NewPCG(1, 2))
	s := &drift.Snapshot{Entries: []drift.Entry{{Path: "/", Type: drift.TypeDir, Mode: 0o755}}}
	for d := range n / 100 {
		s.Entries = append(s.Entries, drift.Entry{Path: fmt.Sprintf("/usr/d%04d", d), Type: drift.TypeDir, Mode: 0o755})
		for f := range 100 {
			e := drift.Entry{Path: fmt.Sprintf("/usr/d%04d/file-%04d.so", d, f), Type: drift.TypeRegular, Mode: 0o644, Size: 4096, Nlink: 1}
			for i := range e.SHA256 { // digests do not compress
				e.SHA256[i] = byte(rng.Uint32())
			}
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

// BenchmarkReader measures streaming 50,000 entries out of a file, as
// drift does.
func BenchmarkReader(b *testing.B) {
	var buf bytes.Buffer
	if err := Encode(&buf, Header{}, benchSnapshot(50_000)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewReader(buf.Bytes())
		if err != nil {
			b.Fatal(err)
		}
		for {
			en, err := r.Next()
			if err != nil {
				b.Fatal(err)
			}
			if en == nil {
				break
			}
		}
		if _, err := r.Finish(); err != nil {
			b.Fatal(err)
		}
	}
}
