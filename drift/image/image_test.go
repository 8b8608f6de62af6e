package image

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

func layerOf(t *testing.T, files map[string]string) v1.Layer {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for name, body := range files {
		if strings.HasSuffix(name, "/") {
			tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeDir, Mode: 0o755})
			continue
		}
		tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(body))})
		io.WriteString(tw, body)
	}
	tw.Close()
	b := buf.Bytes()
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestRemote pushes a two-layer image with a whiteout and a dpkg database
// to an in-memory registry and snapshots it by digest.
func TestRemote(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(registry.New())
	defer srv.Close()
	status := "Package: tool\nStatus: install ok installed\nVersion: 1.0\nArchitecture: amd64\n"
	img, err := mutate.AppendLayers(empty.Image,
		layerOf(t, map[string]string{"etc/": "", "etc/old.conf": "x", "var/lib/dpkg/status": status, "var/lib/dpkg/info/tool.list": "/usr/bin/tool\n"}),
		layerOf(t, map[string]string{"etc/.wh.old.conf": "", "usr/bin/tool": "#!/bin/sh\n"}))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := name.ParseReference(strings.TrimPrefix(srv.URL, "http://") + "/acme/base:1")
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(ref, img); err != nil {
		t.Fatal(err)
	}
	want, _ := img.Digest()
	s, digest, err := Remote(context.Background(), ref.Context().Digest(want.String()).String())
	if err != nil {
		t.Fatal(err)
	}
	if digest != want.String() {
		t.Errorf("digest %s, want %s", digest, want)
	}
	if s.Find("/etc/old.conf") != nil || s.Find("/usr/bin/tool") == nil || !s.Find("/usr/bin/tool").Exec {
		t.Errorf("layers not applied with whiteouts: %+v", s.Entries)
	}
	if s.PackageDB != "dpkg" || len(s.Packages) != 1 || s.Packages[0].Files[0] != "/usr/bin/tool" {
		t.Errorf("packages %q %+v", s.PackageDB, s.Packages)
	}
	if _, _, err := Remote(context.Background(), strings.TrimPrefix(srv.URL, "http://")+"/acme/missing:1"); err == nil {
		t.Error("missing image read without error")
	}
}
