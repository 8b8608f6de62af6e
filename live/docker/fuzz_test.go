package docker

import (
	"archive/tar"
	"bytes"
	"io"
	"testing"
)

// FuzzCopyItem feeds hostile archives, as an engine could send them, to
// the renaming copy: it must never panic, never emit a name outside the
// requested path, and stop at the byte budget.
func FuzzCopyItem(f *testing.F) {
	seed := func(names ...string) []byte {
		var b bytes.Buffer
		tw := tar.NewWriter(&b)
		for _, n := range names {
			tw.WriteHeader(&tar.Header{Name: n, Typeflag: tar.TypeReg, Size: 1, Mode: 0o644})
			tw.Write([]byte("x"))
		}
		tw.Close()
		return b.Bytes()
	}
	f.Add(seed("passwd"), "/etc/passwd", false)
	f.Add(seed("info", "info/a.list", "../../escape"), "/var/lib/dpkg/info", true)
	f.Add(seed("etc/../../x"), "/etc", true)
	f.Add([]byte("not a tar"), "/x", false)
	f.Fuzz(func(t *testing.T, data []byte, p string, rec bool) {
		if len(p) == 0 || p[0] != '/' {
			return
		}
		var out bytes.Buffer
		tw := tar.NewWriter(&out)
		err := copyItem(tw, tar.NewReader(bytes.NewReader(data)), readItem{Path: p, Recursive: rec}, &countingLimit{left: 1 << 20})
		if err != nil {
			return
		}
		tw.Close()
		tr := tar.NewReader(&out)
		for {
			h, err := tr.Next()
			if err == io.EOF || err != nil {
				return
			}
			if h.Name != p && !bytes.HasPrefix([]byte(h.Name), []byte(trimTrailing(p)+"/")) {
				t.Fatalf("entry %q outside %q", h.Name, p)
			}
		}
	})
}

func trimTrailing(p string) string {
	for len(p) > 1 && p[len(p)-1] == '/' {
		p = p[:len(p)-1]
	}
	return p
}
