package drift

import (
	"fmt"
	"path"
	"strings"

	"github.com/immutcheck/immutcheck/drift/pkgdb"
)

// Limits on the files whose content a snapshot parses.
const (
	maxDBFile   = 256 << 20 // a package database (dpkg status, rpmdb)
	maxListFile = 16 << 20  // one dpkg info/*.list
	maxAcctFile = 16 << 20  // passwd, group, shadow, gshadow
)

// collected holds the content of the files a snapshot parses, keyed by path.
type collected map[string][]byte

// collectLimit returns how many bytes of p to keep, or 0 when p's content is
// not needed.
func collectLimit(p string) int64 {
	switch p {
	case "/var/lib/dpkg/status", "/lib/apk/db/installed":
		return maxDBFile
	case "/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow":
		return maxAcctFile
	}
	if pkgdb.IsRPMDB(p) {
		return maxDBFile
	}
	if strings.HasSuffix(p, ".list") && parent(p) == "/var/lib/dpkg/info" {
		return maxListFile
	}
	return 0
}

// finish parses the collected files into the snapshot.
func (c collected) finish(s *Snapshot) {
	var err error
	switch {
	case c["/var/lib/dpkg/status"] != nil:
		s.PackageDB = "dpkg"
		lists := map[string][]byte{}
		for p, b := range c {
			if path.Dir(p) == "/var/lib/dpkg/info" {
				lists[strings.TrimSuffix(path.Base(p), ".list")] = b
			}
		}
		s.Packages, err = pkgdb.ParseDpkg(c["/var/lib/dpkg/status"], lists)
	case c["/lib/apk/db/installed"] != nil:
		s.PackageDB = "apk"
		s.Packages, err = pkgdb.ParseApk(c["/lib/apk/db/installed"])
	default:
		for _, p := range pkgdb.RPMDBPaths {
			if b, ok := c[p]; ok {
				s.PackageDB = "rpm"
				s.Packages, err = pkgdb.ParseRPM(p, b)
				break
			}
		}
	}
	if err != nil {
		s.Problems = append(s.Problems, fmt.Sprintf("package database (%s): %v", s.PackageDB, err))
	}
	acct, probs := parseAccounts(c)
	s.Accounts = acct
	s.Problems = append(s.Problems, probs...)
}
