package drift

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
)

// whiteoutLayers builds a lower layer of dirs×files empty files and an
// upper layer that whites out every tenth file and every tenth directory
// (opaque), the shape of an image that removes much of its base.
func whiteoutLayers(b *testing.B, dirs, files int) (lower, upper []byte) {
	b.Helper()
	var lb, ub bytes.Buffer
	lw, uw := tar.NewWriter(&lb), tar.NewWriter(&ub)
	for d := range dirs {
		dir := fmt.Sprintf("usr/share/d%05d/", d)
		must(b, lw.WriteHeader(&tar.Header{Name: dir, Typeflag: tar.TypeDir, Mode: 0o755}))
		for f := range files {
			must(b, lw.WriteHeader(&tar.Header{Name: fmt.Sprintf("%sf%04d", dir, f), Typeflag: tar.TypeReg, Mode: 0o644}))
			if f%10 == 0 {
				must(b, uw.WriteHeader(&tar.Header{Name: fmt.Sprintf("%s.wh.f%04d", dir, f), Typeflag: tar.TypeReg}))
			}
		}
		if d%10 == 5 {
			must(b, uw.WriteHeader(&tar.Header{Name: dir + ".wh..wh..opq", Typeflag: tar.TypeReg}))
		}
	}
	must(b, lw.Close())
	must(b, uw.Close())
	return lb.Bytes(), ub.Bytes()
}

// BenchmarkWhiteouts applies 10,000 file whiteouts and 100 opaque
// directories over a lower layer of 100,000 files.
func BenchmarkWhiteouts(b *testing.B) {
	lower, upper := whiteoutLayers(b, 1000, 100)
	open := func(p []byte) Layer {
		return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(p)), nil }
	}
	b.ReportAllocs()
	for b.Loop() {
		s, err := ReadLayers(context.Background(), []Layer{open(lower), open(upper)})
		if err != nil {
			b.Fatal(err)
		}
		// 100,000 files less 10,000 whited out and 9,000 more in the
		// opaque directories, plus 1,000 directories and the 3 parents.
		if want := 100_000 - 10_000 - 9_000 + 1_000 + 3; len(s.Entries) != want {
			b.Fatalf("%d entries, want %d", len(s.Entries), want)
		}
	}
}
