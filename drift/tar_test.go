package drift

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tarOf builds a tar stream; a header with Typeflag 0 and a body is a file.
func tarOf(t testing.TB, entries ...any) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for i := 0; i < len(entries); i++ {
		h := entries[i].(*tar.Header)
		var body string
		if h.Typeflag == tar.TypeReg {
			body = entries[i+1].(string)
			i++
			h.Size = int64(len(body))
		}
		if h.Mode == 0 {
			h.Mode = 0o644
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		io.WriteString(tw, body)
	}
	tw.Close()
	return buf.Bytes()
}

func file(name string) *tar.Header { return &tar.Header{Name: name, Typeflag: tar.TypeReg} }
func dir(name string) *tar.Header  { return &tar.Header{Name: name, Typeflag: tar.TypeDir, Mode: 0o755} }

func layer(b []byte) Layer {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

// TestReadLayersWhiteouts applies OCI whiteouts: ".wh.NAME" deletes NAME of
// lower layers, ".wh..wh..opq" empties a directory of lower-layer entries
// but keeps what its own layer adds.
func TestReadLayersWhiteouts(t *testing.T) {
	t.Parallel()
	l1 := tarOf(t, dir("etc/"), file("etc/a"), "a", file("etc/b"), "b", dir("opt/"), dir("opt/x/"), file("opt/x/1"), "1", file("usr/bin/tool"), "#!/bin/sh\n")
	l2 := tarOf(t, file("etc/.wh.a"), "", file("opt/x/.wh..wh..opq"), "", file("opt/x/2"), "2", file("usr/bin/tool"), "\x7fELF")
	s, err := ReadLayers(context.Background(), []Layer{layer(l1), layer(l2)})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/", "/etc", "/etc/b", "/opt", "/opt/x", "/opt/x/2", "/usr", "/usr/bin", "/usr/bin/tool"}
	if d := cmp.Diff(want, paths(s)); d != "" {
		t.Errorf("paths (-want +got):\n%s", d)
	}
	if e := s.Find("/usr/bin/tool"); !e.Exec || e.Size != 4 {
		t.Errorf("upper layer file: %+v", e)
	}
	if e := s.Find("/usr"); !e.Implicit {
		t.Errorf("/usr not marked implicit: %+v", e)
	}
}

// TestReadLayersWhiteoutTree: a whiteout of a directory removes its
// subtree, a whiteout of a missing name does nothing, an opaque marker that
// comes after its layer's own entries keeps them (a lower directory kept
// only for them loses its metadata), and a file replacing a directory hides
// what was below it.
func TestReadLayersWhiteoutTree(t *testing.T) {
	t.Parallel()
	l1 := tarOf(t, dir("a/"), dir("a/b/"), file("a/b/c"), "c", dir("d/"), dir("d/e/"), file("d/e/f"), "f", file("d/g"), "g",
		dir("h/"), file("h/i"), "i")
	l2 := tarOf(t, file(".wh.a"), "", file(".wh.nope"), "", file("d/e/new"), "n", file("d/.wh..wh..opq"), "",
		file("h"), "now a file")
	l3 := tarOf(t, dir("a/"), file("a/back"), "b")
	s, err := ReadLayers(context.Background(), []Layer{layer(l1), layer(l2), layer(l3)})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/", "/a", "/a/back", "/d", "/d/e", "/d/e/new", "/h"}
	if d := cmp.Diff(want, paths(s)); d != "" {
		t.Errorf("paths (-want +got):\n%s", d)
	}
	if e := s.Find("/d/e"); e == nil || !e.Implicit {
		t.Errorf("/d/e: %+v, want implied (its lower metadata is gone)", e)
	}
	if e := s.Find("/h"); e == nil || e.Type != TypeRegular {
		t.Errorf("/h: %+v, want the upper file", e)
	}
}

// TestReadTarHostile (RELIABILITY 34, 36): names climbing out of the tree,
// hard links to missing targets and NUL bytes are refused; hard links count.
func TestReadTarHostile(t *testing.T) {
	t.Parallel()
	for name, b := range map[string][]byte{
		"dotdot":       tarOf(t, file("../../etc/passwd"), "x"),
		"inner dotdot": tarOf(t, file("a/../../b"), "x"),
		"link escape":  tarOf(t, file("a"), "x", &tar.Header{Name: "b", Typeflag: tar.TypeLink, Linkname: "../a"}),
		"link missing": tarOf(t, &tar.Header{Name: "b", Typeflag: tar.TypeLink, Linkname: "nothere"}),
		"link to dir":  tarOf(t, dir("d/"), &tar.Header{Name: "b", Typeflag: tar.TypeLink, Linkname: "d"}),
		"deep name":    tarOf(t, file(strings.Repeat("a/", 100_000)+"x"), "x"),
		"long target":  tarOf(t, &tar.Header{Name: "s", Typeflag: tar.TypeSymlink, Linkname: strings.Repeat("x", 5000)}),
	} {
		if _, err := ReadTar(context.Background(), bytes.NewReader(b)); !errors.Is(err, ErrUnsafePath) {
			t.Errorf("%s: err = %v, want ErrUnsafePath", name, err)
		}
	}
	b := tarOf(t, file("a"), "x", &tar.Header{Name: "b", Typeflag: tar.TypeLink, Linkname: "a"},
		&tar.Header{Name: "s", Typeflag: tar.TypeSymlink, Linkname: "/etc/shadow"})
	s, err := ReadTar(context.Background(), bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if a, l := s.Find("/a"), s.Find("/b"); a.Nlink != 2 || l.Nlink != 2 || a.SHA256 != l.SHA256 {
		t.Errorf("hard link: %+v %+v", a, l)
	}
	if e := s.Find("/s"); e.Link != "/etc/shadow" {
		t.Errorf("symlink: %+v", e)
	}
}

func FuzzReadTar(f *testing.F) {
	f.Add(tarOf(f, dir("etc/"), file("etc/.wh.a"), "", file("var/lib/dpkg/status"), "Package: a\nStatus: install ok installed\n"))
	f.Add(tarOf(f, file("a"), "x", &tar.Header{Name: "b", Typeflag: tar.TypeLink, Linkname: "a"}))
	f.Fuzz(func(t *testing.T, b []byte) {
		lt := newLayeredTree()
		lt.budget = 1 << 20 // a sparse header may claim terabytes
		for range 2 {
			if err := lt.apply(context.Background(), bytes.NewReader(b), true); err != nil {
				return
			}
		}
		s := lt.snapshot()
		for i := 1; i < len(s.Entries); i++ {
			if !Less(s.Entries[i-1].Path, s.Entries[i].Path) {
				t.Fatalf("entries out of order: %q %q", s.Entries[i-1].Path, s.Entries[i].Path)
			}
		}
	})
}
