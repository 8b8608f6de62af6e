package drift

import (
	"sort"

	"github.com/immutcheck/immutcheck/drift/pkgdb"
)

// Snapshot is the state of one tree: its entries in Less order, the packages
// its package database lists and its accounts.
type Snapshot struct {
	// Entries are empty when the walk streamed them (WalkOptions.Emit).
	Entries []Entry
	// Count is the number of entries read, streamed or kept.
	Count int
	// PackageDB names the package database found ("dpkg", "apk", "rpm"), or
	// is empty when the tree has none.
	PackageDB string
	Packages  []pkgdb.Package
	Accounts  Accounts
	// Problems are parts of the tree that could be read but not understood
	// (a malformed package database). They make a comparison incomplete.
	Problems []string
	// Races counts entries that vanished or changed between listing and
	// reading.
	Races int
	// LookupAll, when set, finds entries of a snapshot whose Entries were
	// streamed rather than kept (a decoded baseline reads itself again; a
	// live tree stats its own files). Nil for a kept snapshot.
	LookupAll func(paths []string) map[string]*Entry `json:"-"`
}

// streamed reports whether the entries were streamed rather than kept.
func (s *Snapshot) streamed() bool {
	return len(s.Entries) == 0 && s.LookupAll != nil
}

// FindAll returns the entries at the given paths that exist.
func (s *Snapshot) FindAll(paths []string) map[string]*Entry {
	if s.streamed() {
		return s.LookupAll(paths)
	}
	out := map[string]*Entry{}
	for _, p := range paths {
		if e := s.Find(p); e != nil {
			out[p] = e
		}
	}
	return out
}

// Find returns the entry at path p, or nil.
func (s *Snapshot) Find(p string) *Entry {
	if s.streamed() {
		return s.LookupAll([]string{p})[p]
	}
	i := sort.Search(len(s.Entries), func(i int) bool { return !Less(s.Entries[i].Path, p) })
	if i < len(s.Entries) && s.Entries[i].Path == p {
		return &s.Entries[i]
	}
	return nil
}

// Incomplete returns the entries that were not read completely.
func (s *Snapshot) Incomplete() []*Entry {
	var out []*Entry
	for i := range s.Entries {
		if s.Entries[i].Status != StatusOK {
			out = append(out, &s.Entries[i])
		}
	}
	return out
}

// sortEntries puts entries in Less order.
func sortEntries(es []Entry) {
	sort.Slice(es, func(i, j int) bool { return Less(es[i].Path, es[j].Path) })
}
