package pkgdb

import (
	"errors"
	"sort"
)

// Package is one installed package.
type Package struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Arch    string `json:"arch,omitempty"`
	// Files are the absolute paths the package owns, sorted.
	Files []string `json:"files,omitempty"`
}

// Key identifies a package across versions: its name, and its architecture
// when the database records one.
func (p *Package) Key() string {
	if p.Arch == "" {
		return p.Name
	}
	return p.Name + ":" + p.Arch
}

// Limits on database contents.
const (
	maxPackages    = 100_000
	maxFilesPerPkg = 1_000_000
	maxLine        = 1 << 20
)

// ErrMalformed is wrapped by every parse error.
var ErrMalformed = errors.New("malformed package database")

// sortPackages orders packages by key and sorts each file list.
func sortPackages(ps []Package) {
	for i := range ps {
		sort.Strings(ps[i].Files)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].Key() < ps[j].Key() })
}
