package docker

import (
	"sort"
	"strings"

	"github.com/docker/docker/api/types/container"

	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/drift/pkgdb"
)

// Change kinds of the engine's diff (container.ChangeModify etc.).
const (
	diffModified = container.ChangeModify
	diffAdded    = container.ChangeAdd
	diffDeleted  = container.ChangeDelete
)

// packageDBReads are the package databases read on both sides when the
// engine reports a change below their directory.
var packageDBReads = []struct {
	dir   string
	items []readItem
}{
	{"/var/lib/dpkg", []readItem{{Path: "/var/lib/dpkg/status"}, {Path: "/var/lib/dpkg/info", Recursive: true}}},
	{"/lib/apk/db", []readItem{{Path: "/lib/apk/db/installed"}}},
	{"/var/lib/rpm", rpmItems()},
	{"/usr/lib/sysimage/rpm", rpmItems()},
}

func rpmItems() []readItem {
	var out []readItem
	for _, p := range pkgdb.RPMDBPaths {
		out = append(out, readItem{Path: p})
	}
	return out
}

// plan turns the engine's diff into what to read from the container
// (live) and from the image's probe container (base). Added paths exist
// only in the container and deleted ones only in the image, as the engine
// computed from the layers; an added directory with entries below it, and a
// deleted directory, are read as one subtree.
func plan(changes []container.FilesystemChange) (live, base []readItem) {
	changes = append([]container.FilesystemChange(nil), changes...)
	sort.Slice(changes, func(i, j int) bool { return drift.Less(changes[i].Path, changes[j].Path) })
	dbs := map[int]bool{}
	for i, ch := range changes {
		p := ch.Path
		if p == "/" || p == "" {
			continue
		}
		for k, db := range packageDBReads {
			if p == db.dir || strings.HasPrefix(p, db.dir+"/") {
				dbs[k] = true
			}
		}
		switch ch.Kind {
		case diffAdded:
			rec := i+1 < len(changes) && strings.HasPrefix(changes[i+1].Path, p+"/")
			live = append(live, readItem{Path: p, Recursive: rec})
		case diffDeleted:
			base = append(base, readItem{Path: p, Recursive: true})
		default:
			live = append(live, readItem{Path: p})
			base = append(base, readItem{Path: p})
		}
	}
	for k := range dbs {
		live = append(live, packageDBReads[k].items...)
		base = append(base, packageDBReads[k].items...)
	}
	return normalize(live), normalize(base)
}
