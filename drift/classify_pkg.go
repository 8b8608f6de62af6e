package drift

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/immutcheck/immutcheck/drift/pkgdb"
	"github.com/immutcheck/immutcheck/model"
)

// pkgChange is one package installed, removed or changed, and the file
// changes it explains.
type pkgChange struct {
	change model.Change
	counts [Modified + 1]int
}

// packageDBDirs hold the package managers' own databases; their changes are
// explained by package changes when there are any.
var packageDBDirs = []string{"/var/lib/dpkg", "/lib/apk/db", "/var/lib/rpm", "/usr/lib/sysimage/rpm"}

// packages diffs the package databases and indexes the files of changed
// packages.
func (c *classifier) packages(changes []Change) {
	c.pkgFiles, c.owners = map[string]*pkgChange{}, map[string]string{}
	old, cur := pkgIndex(c.base.Packages), pkgIndex(c.live.Packages)
	inBase, inLive := newCanonicalizer(c.base), newCanonicalizer(c.live)
	if c.base.streamed() {
		// A streamed baseline is not searched path by path: its package
		// lists are resolved through the live tree's directory symlinks,
		// which are the baseline's unless they changed, and such a change
		// is reported on its own.
		inBase = inLive
	}
	keys := make([]string, 0, len(old)+len(cur))
	for k := range old {
		keys = append(keys, k)
	}
	for k := range cur {
		if old[k] == nil {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var pcs []*pkgChange
	for _, k := range keys {
		o, n := old[k], cur[k]
		var msg string
		switch {
		case o == nil:
			msg = fmt.Sprintf("package %s %s installed", n.Name, n.Version)
		case n == nil:
			msg = fmt.Sprintf("package %s %s removed", o.Name, o.Version)
		case o.Version != n.Version:
			msg = fmt.Sprintf("package %s changed version %s → %s", o.Name, o.Version, n.Version)
		default:
			for _, f := range n.Files {
				c.owners[inLive.path(f)] = n.Name + " " + n.Version
			}
			continue
		}
		name := pkgName(o, n)
		pc := &pkgChange{change: model.Change{Class: model.PackageChange, Path: c.dbPath(), Subject: "package " + name, Detail: msg}}
		pcs = append(pcs, pc)
		for _, p := range []*pkgdb.Package{o, n} {
			if p == nil {
				continue
			}
			for _, file := range p.Files {
				c.pkgFiles[file] = pc
				c.pkgFiles[inBase.path(file)] = pc
				c.pkgFiles[inLive.path(file)] = pc
			}
			// dpkg keeps each package's scripts and lists as info/NAME.*.
			c.pkgFiles["/var/lib/dpkg/info/"+p.Name] = pc
			c.pkgFiles["/var/lib/dpkg/info/"+p.Name+":"+p.Arch] = pc
		}
	}
	c.pkgDBChanged = len(pcs) > 0
	// Package changes are appended after the file changes are counted.
	for _, ch := range changes {
		if pc := c.ownerChange(ch.Path); pc != nil {
			pc.counts[ch.Kind]++
		}
	}
	for _, pc := range pcs {
		var parts []string
		for kind, word := range map[Kind]string{Added: "added", Removed: "removed", Modified: "modified"} {
			if n := pc.counts[kind]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, word))
			}
		}
		sort.Strings(parts)
		if len(parts) > 0 {
			pc.change.Detail += "; its files: " + strings.Join(parts, ", ")
		}
		c.out = append(c.out, pc.change)
	}
}

// ownerChange returns the package change that explains a change at p.
func (c *classifier) ownerChange(p string) *pkgChange {
	if pc := c.pkgFiles[p]; pc != nil {
		return pc
	}
	if path.Dir(p) == "/var/lib/dpkg/info" {
		base := path.Base(p)
		if i := strings.LastIndexByte(base, '.'); i > 0 {
			return c.pkgFiles["/var/lib/dpkg/info/"+base[:i]]
		}
	}
	return nil
}

// consumed reports whether a package or account change explains ch.
func (c *classifier) consumed(ch *Change) bool {
	if c.ownerChange(ch.Path) != nil {
		return true
	}
	if c.pkgDBChanged {
		for _, d := range packageDBDirs {
			if under(ch.Path, d) && ch.Path != d {
				return true
			}
		}
	}
	return c.accountConsumed(ch)
}

// dbPath names the live package database, the path of package changes.
func (c *classifier) dbPath() string {
	switch c.live.PackageDB {
	case "dpkg":
		return "/var/lib/dpkg/status"
	case "apk":
		return "/lib/apk/db/installed"
	}
	return ""
}

func pkgIndex(ps []pkgdb.Package) map[string]*pkgdb.Package {
	m := make(map[string]*pkgdb.Package, len(ps))
	for i := range ps {
		m[ps[i].Key()] = &ps[i]
	}
	return m
}

func pkgName(o, n *pkgdb.Package) string {
	if n != nil {
		return n.Name
	}
	return o.Name
}
