package load

import (
	"os"
	"path/filepath"
	"strings"
)

// realRoots resolves the paths given to Walk, so that a link's target can
// be compared with them. A path that cannot be resolved is left out.
func realRoots(paths []string) []string {
	var out []string
	for _, p := range paths {
		if p == "-" {
			continue
		}
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			continue
		}
		if abs, err := filepath.Abs(real); err == nil {
			out = append(out, abs)
		}
	}
	return out
}

// within reports whether the resolved path p is one of roots or under one.
func within(p string, roots []string) bool {
	for _, r := range roots {
		if p == r || strings.HasPrefix(p, r+string(filepath.Separator)) || r == string(filepath.Separator) {
			return true
		}
	}
	return false
}

// link decides what Walk does with the symbolic link p met in a directory:
// an input to load (followed, or NotFollowed with the reason), or nothing
// (ok false) for a link to a directory inside the roots, whose files are
// walked where they are, and for a link whose name is not a declaration's.
func link(p string, roots []string) (Input, bool) {
	k, maybe := kindOfName(p)
	named := k != Unknown || maybe
	target, err := filepath.EvalSymlinks(p)
	if err != nil {
		if !named {
			return Input{}, false
		}
		return Input{Path: p, Kind: k, Named: true, NotFollowed: "symbolic link not followed: it resolves to nothing"}, true
	}
	abs, err := filepath.Abs(target)
	if err != nil {
		return Input{Path: p, Kind: k, Named: true, NotFollowed: "symbolic link not followed: " + err.Error()}, true
	}
	info, err := os.Stat(abs)
	switch {
	case err != nil:
		return Input{Path: p, Kind: k, Named: true, NotFollowed: "symbolic link not followed: " + err.Error()}, true
	case info.IsDir():
		if within(abs, roots) {
			return Input{}, false
		}
		return Input{Path: p, Named: true, NotFollowed: "symbolic link to a directory outside the scanned paths not followed; scan its target too"}, true
	case !named:
		return Input{}, false
	case !within(abs, roots):
		return Input{Path: p, Kind: k, Named: true, NotFollowed: "symbolic link to a file outside the scanned paths not followed; scan its target too"}, true
	case !info.Mode().IsRegular():
		return Input{}, false
	}
	return Input{Path: p, Kind: k}, true
}
