package pkgdb

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/internal/e2e"
)

// rpmTestdata locates the real rpm databases (Berkeley DB, sqlite and ndb)
// that go-rpmdb ships as its own test data, in the module cache.
func rpmTestdata(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/knqyf263/go-rpmdb").Output()
	dir := filepath.Join(strings.TrimSpace(string(out)), "pkg", "testdata")
	if _, serr := os.Stat(dir); err != nil || serr != nil {
		e2e.Missing(t, fmt.Sprintf("go-rpmdb test data (%v %v)", err, serr), "run go mod download")
	}
	return dir
}

func TestParseRPM(t *testing.T) {
	t.Parallel()
	dir := rpmTestdata(t)
	for _, tc := range []struct {
		file     string
		pkg, ver string
		owns     string
	}{
		{"centos7-plain/Packages", "bash", "4.2.46-30.el7", "/usr/bin/bash"},
		{"fedora35/rpmdb.sqlite", "bash", "5.1.8-2.fc35", "/usr/bin/bash"},
		{"sle15-bci/Packages.db", "bash", "4.4-19.6.1", "/usr/bin/bash"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			b, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			ps, err := ParseRPM("/var/lib/rpm/"+filepath.Base(tc.file), b)
			if err != nil {
				t.Fatal(err)
			}
			var found *Package
			for i := range ps {
				if ps[i].Name == tc.pkg {
					found = &ps[i]
				}
			}
			if found == nil {
				t.Fatalf("%d packages, no %s", len(ps), tc.pkg)
			}
			if !strings.HasPrefix(found.Version, tc.ver) {
				t.Errorf("%s version %q, want %q", tc.pkg, found.Version, tc.ver)
			}
			owns := false
			for _, f := range found.Files {
				owns = owns || f == tc.owns
			}
			if !owns {
				t.Errorf("%s does not own %s (%d files)", tc.pkg, tc.owns, len(found.Files))
			}
		})
	}
	if _, err := ParseRPM("/var/lib/rpm/Packages", []byte("not a database")); err == nil {
		t.Error("garbage accepted as an rpm database")
	}
}

func FuzzParseRPM(f *testing.F) {
	f.Add([]byte("SQLite format 3\x00"))
	f.Add(make([]byte, 4096))
	f.Fuzz(func(t *testing.T, db []byte) {
		ParseRPM("/var/lib/rpm/Packages", db) // must not panic or hang
	})
}
