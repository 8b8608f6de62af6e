package drift

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

// TestTarDuplicates: within one archive a path listed twice is refused,
// except a directory; across layers the later entry overrides.
func TestTarDuplicates(t *testing.T) {
	t.Parallel()
	type ent struct {
		name, body string
		dir        bool
	}
	archive := func(es ...ent) []byte {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		for _, e := range es {
			h := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: tar.TypeReg}
			if e.dir {
				h.Typeflag, h.Mode, h.Size = tar.TypeDir, 0o755, 0
			}
			if err := tw.WriteHeader(h); err != nil {
				t.Fatal(err)
			}
			if _, err := tw.Write([]byte(e.body)); err != nil {
				t.Fatal(err)
			}
		}
		if err := tw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	_, err := ReadTar(context.Background(), bytes.NewReader(archive(ent{name: "etc/passwd", body: "root"}, ent{name: "etc/passwd", body: "evil"})))
	if err == nil || !strings.Contains(err.Error(), "/etc/passwd is listed twice in one archive") {
		t.Fatalf("duplicate file: err = %v", err)
	}
	if _, err := ReadTar(context.Background(), bytes.NewReader(archive(ent{name: "etc/", dir: true}, ent{name: "etc/", dir: true}, ent{name: "etc/a", body: "x"}))); err != nil {
		t.Fatalf("directory twice: %v", err)
	}
	s, err := ReadLayers(context.Background(), []Layer{
		layerOf(archive(ent{name: "etc/passwd", body: "root"})),
		layerOf(archive(ent{name: "etc/passwd", body: "later"})),
	})
	if err != nil {
		t.Fatalf("layers: %v", err)
	}
	for _, e := range s.Entries {
		if e.Path == "/etc/passwd" && e.Size != int64(len("later")) {
			t.Fatalf("later layer did not override: %+v", e)
		}
	}
}

func layerOf(b []byte) Layer {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}
