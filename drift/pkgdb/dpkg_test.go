package pkgdb

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const status = `Package: coreutils
Essential: yes
Status: install ok installed
Priority: required
Architecture: amd64
Version: 9.1-1
Description: GNU core utilities
 This package contains the basic file, shell and text manipulation
 .
 utilities.

Package: libc6
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Version: 2.36-9+deb12u4
Conffiles:
 /etc/ld.so.conf.d/x86_64-linux-gnu.conf d4e7a7b88a71b5ffd9e2644e71a0cfab

Package: e2fsprogs
Status: deinstall ok config-files
Architecture: amd64
Version: 1.47.0-2
`

func TestParseDpkg(t *testing.T) {
	t.Parallel()
	lists := map[string][]byte{
		"coreutils":   []byte("/.\n/usr\n/usr/bin\n/usr/bin/ls\n/bin/cat\n"),
		"libc6:amd64": []byte("/.\n/lib/x86_64-linux-gnu/libc.so.6\n"),
		"e2fsprogs":   []byte("/sbin/e2fsck\n"),
		"unrelated":   []byte("/x\n"),
	}
	got, err := ParseDpkg([]byte(status), lists)
	if err != nil {
		t.Fatal(err)
	}
	want := []Package{
		{Name: "coreutils", Version: "9.1-1", Arch: "amd64", Files: []string{"/bin/cat", "/usr", "/usr/bin", "/usr/bin/ls"}},
		{Name: "libc6", Version: "2.36-9+deb12u4", Arch: "amd64", Files: []string{"/lib/x86_64-linux-gnu/libc.so.6"}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("packages (-want +got):\n%s", d)
	}
}

func TestParseDpkgMalformed(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"continuation first": " orphan\n",
		"no colon":           "Package coreutils\n",
		"no package":         "Status: install ok installed\nVersion: 1\n",
		"long line":          "Package: " + strings.Repeat("a", maxLine+1) + "\n",
	} {
		if _, err := ParseDpkg([]byte(in), nil); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", name, err)
		}
	}
	if _, err := ParseDpkg([]byte("Package: a\nStatus: install ok installed\n"), map[string][]byte{"a": []byte("relative/path\n")}); !errors.Is(err, ErrMalformed) {
		t.Errorf("relative file path: %v", err)
	}
}

func TestParseApk(t *testing.T) {
	t.Parallel()
	db := "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nF:lib\nR:ld-musl-x86_64.so.1\nR:libc.musl-x86_64.so.1\n\nP:busybox\nV:1.36.1-r5\nA:x86_64\nF:bin\nR:busybox\nF:etc\nR:securetty\nF:../../etc\nR:escape\n"
	got, err := ParseApk([]byte(db))
	if err != nil {
		t.Fatal(err)
	}
	want := []Package{
		{Name: "busybox", Version: "1.36.1-r5", Arch: "x86_64", Files: []string{"/bin/busybox", "/etc/escape", "/etc/securetty"}},
		{Name: "musl", Version: "1.2.4-r2", Arch: "x86_64", Files: []string{"/lib/ld-musl-x86_64.so.1", "/lib/libc.musl-x86_64.so.1"}},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("packages (-want +got):\n%s", d)
	}
	for _, bad := range []string{"garbage\n", "V:1\n"} {
		if _, err := ParseApk([]byte(bad)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%q: err = %v, want ErrMalformed", bad, err)
		}
	}
}

func FuzzParseDpkg(f *testing.F) {
	f.Add([]byte(status), []byte("/usr/bin/ls\n"))
	f.Add([]byte(" x\n"), []byte(""))
	f.Fuzz(func(t *testing.T, st, list []byte) {
		ps, err := ParseDpkg(st, map[string][]byte{"coreutils": list, "libc6:amd64": list})
		if err == nil {
			for _, p := range ps {
				if p.Name == "" {
					t.Fatal("package without a name")
				}
				for _, file := range p.Files {
					if !strings.HasPrefix(file, "/") {
						t.Fatalf("relative file %q", file)
					}
				}
			}
		}
	})
}

func FuzzParseApk(f *testing.F) {
	f.Add([]byte("P:musl\nV:1\nF:lib\nR:x\n\nP:b\n"))
	f.Add([]byte("F:../..\nR:../x\n"))
	f.Fuzz(func(t *testing.T, db []byte) {
		ps, err := ParseApk(db)
		if err == nil {
			for _, p := range ps {
				for _, file := range p.Files {
					if !strings.HasPrefix(file, "/") || strings.Contains(file, "/../") {
						t.Fatalf("file %q escapes the tree", file)
					}
				}
			}
		}
	})
}
