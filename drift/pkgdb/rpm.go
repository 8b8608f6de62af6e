package pkgdb

import (
	"fmt"
	"os"
	"path"
	"strconv"

	// go-rpmdb opens sqlite databases through database/sql; this pure-Go
	// driver registers itself as "sqlite".
	_ "github.com/glebarez/go-sqlite"
	rpmdb "github.com/knqyf263/go-rpmdb/pkg"
)

// RPMDBPaths are the places an rpm database lives, in the order they are
// preferred: the sqlite database of current distributions, then ndb, then
// Berkeley DB.
var RPMDBPaths = []string{
	"/usr/lib/sysimage/rpm/rpmdb.sqlite",
	"/var/lib/rpm/rpmdb.sqlite",
	"/usr/lib/sysimage/rpm/Packages.db",
	"/var/lib/rpm/Packages.db",
	"/usr/lib/sysimage/rpm/Packages",
	"/var/lib/rpm/Packages",
}

// IsRPMDB reports whether p is one of RPMDBPaths.
func IsRPMDB(p string) bool {
	for _, q := range RPMDBPaths {
		if p == q {
			return true
		}
	}
	return false
}

// ParseRPM reads an rpm database whose content is db; name is its path in
// the tree and only picks the file name. go-rpmdb reads from a file, so the
// content is written to a private temporary file that is removed at once.
func ParseRPM(name string, db []byte) ([]Package, error) {
	dir, err := os.MkdirTemp("", "immutcheck-rpmdb-")
	if err != nil {
		return nil, fmt.Errorf("rpm database: %w", err)
	}
	defer os.RemoveAll(dir)
	p := path.Join(dir, path.Base(name))
	if err := os.WriteFile(p, db, 0o600); err != nil {
		return nil, fmt.Errorf("rpm database: %w", err)
	}
	return parseRPMFile(p)
}

func parseRPMFile(p string) (out []Package, err error) {
	// go-rpmdb indexes into the database's own offsets; a corrupt file must
	// be an error, not a crash of the whole check.
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%w: rpm database: %v", ErrMalformed, r)
		}
	}()
	db, err := rpmdb.Open(p)
	if err != nil {
		return nil, fmt.Errorf("%w: open rpm database: %v", ErrMalformed, err)
	}
	defer db.Close()
	pkgs, err := db.ListPackages()
	if err != nil {
		return nil, fmt.Errorf("%w: list rpm packages: %v", ErrMalformed, err)
	}
	if len(pkgs) > maxPackages {
		return nil, fmt.Errorf("%w: more than %d packages", ErrMalformed, maxPackages)
	}
	for _, pi := range pkgs {
		files, err := pi.InstalledFileNames()
		if err != nil {
			return nil, fmt.Errorf("%w: files of %s: %v", ErrMalformed, pi.Name, err)
		}
		for i, f := range files {
			files[i] = path.Clean("/" + f)
		}
		out = append(out, Package{Name: pi.Name, Version: rpmVersion(pi), Arch: pi.Arch, Files: files})
	}
	sortPackages(out)
	return out, nil
}

// rpmVersion formats [epoch:]version-release.
func rpmVersion(pi *rpmdb.PackageInfo) string {
	v := pi.Version + "-" + pi.Release
	if pi.Epoch != nil && *pi.Epoch != 0 {
		v = strconv.Itoa(*pi.Epoch) + ":" + v
	}
	return v
}
