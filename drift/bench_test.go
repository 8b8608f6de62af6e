package drift

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// benchTree makes dirs×files small files of 4 KiB.
func benchTree(b *testing.B, dirs, files int) string {
	b.Helper()
	root := b.TempDir()
	content := make([]byte, 4096)
	for d := range dirs {
		dir := filepath.Join(root, fmt.Sprintf("d%03d", d))
		if err := os.Mkdir(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		for f := range files {
			content[0] = byte(f)
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%04d", f)), content, 0o644); err != nil {
				b.Fatal(err)
			}
		}
	}
	return root
}

// BenchmarkWalk measures a full read (stat, open, hash) of 5,000 files.
func BenchmarkWalk(b *testing.B) {
	root := benchTree(b, 50, 100)
	b.SetBytes(5000 * 4096)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Walk(context.Background(), root, WalkOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompareClassify measures the comparison of two 5,000-file
// snapshots that differ in one file.
func BenchmarkCompareClassify(b *testing.B) {
	root := benchTree(b, 50, 100)
	base, err := Walk(context.Background(), root, WalkOptions{})
	if err != nil {
		b.Fatal(err)
	}
	live := *base
	live.Entries = append([]Entry(nil), base.Entries...)
	live.Entries[len(live.Entries)/2].SHA256[0] ^= 1
	ig, _ := NewIgnores(nil, nil)
	b.ReportAllocs()
	for b.Loop() {
		c := Compare(base, &live, ig)
		if chs, _ := Classify(base, &live, c); len(chs) != 1 {
			b.Fatalf("%d changes", len(chs))
		}
	}
}
