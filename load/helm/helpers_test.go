package helm

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// writeChart writes files (slash-separated names) under a new temporary
// directory and returns it.
func writeChart(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// tgz packs files into a gzipped tar, as helm package does.
func tgz(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	tw := tar.NewWriter(zw)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(files[n])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const minimalChart = "apiVersion: v2\nname: c\nversion: 0.1.0\n"

const configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"

// renderedPaths renders dir and returns the displayed path of every
// rendered template with its output.
func renderedPaths(t *testing.T, dir string, opts Options) (map[string]string, error) {
	t.Helper()
	out, l, err := render(t.Context(), dir, opts)
	if err != nil {
		return nil, err
	}
	got := map[string]string{}
	for name, text := range out {
		got[filepath.ToSlash(l.display(l.file(name)))] += text
	}
	return got, nil
}
