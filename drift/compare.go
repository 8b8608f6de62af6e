package drift

import (
	"bytes"
	"strings"
)

// Kind says whether a path was added, removed or modified.
type Kind uint8

// The change kinds.
const (
	Added Kind = iota + 1
	Removed
	Modified
)

// Diff is a set of attributes that differ between two entries.
type Diff uint16

// The attributes compared.
const (
	DiffType Diff = 1 << iota
	DiffContent
	DiffMode
	DiffOwner
	DiffLink
	DiffCaps
	DiffDevice
	DiffLinkCount
)

// Change is one path whose entry differs between baseline and tree.
type Change struct {
	Kind Kind
	Path string
	// Old is the baseline entry (nil when Added); New the live one (nil when
	// Removed).
	Old, New *Entry
	What     Diff
}

// Comparison is the result of comparing a tree with its baseline.
type Comparison struct {
	Changes []Change
	// Unchecked are paths whose content or presence could not be verified:
	// unreadable, raced, too large, or below a directory that was not
	// entered. A comparison with any is incomplete, never clean.
	Unchecked []*Entry
	// Problems are parts of either snapshot that could not be understood.
	Problems []string
	// Ignored counts baseline and live entries left out by the ignores.
	Ignored int
	// MaxChanges is the bound on the changes kept in detail; Omitted
	// counts those over it, which Changes does not hold. Changes that
	// package and account classification read are kept whatever the bound.
	MaxChanges int
	Omitted    []Omitted
	// UncheckedOmitted counts the unchecked paths over the same bound per
	// top-level directory (Dir and N only).
	UncheckedOmitted []Omitted
}

// Incomplete reports whether something could not be checked.
func (c *Comparison) Incomplete() bool {
	return len(c.Unchecked) > 0 || len(c.Problems) > 0
}

// EntrySource yields a tree's entries in Less order: Next returns nil, nil
// after the last one. The entry returned may be reused by the next call:
// copy what is kept. A decoded baseline is one.
type EntrySource interface {
	Next() (*Entry, error)
}

// Compare merges a baseline and a live snapshot, both in Less order, into
// the list of changes. Ignored paths are left out on both sides.
func Compare(base, live *Snapshot, ig *Ignores) *Comparison {
	m := NewMerger(&sliceSource{entries: base.Entries}, ig)
	for i := range live.Entries {
		m.Live(&live.Entries[i])
	}
	c, _ := m.Finish() // a slice source never fails
	c.Problems = append(append(c.Problems, base.Problems...), live.Problems...)
	return c
}

// sliceSource yields the entries of a slice.
type sliceSource struct {
	entries []Entry
	i       int
}

func (s *sliceSource) Next() (*Entry, error) {
	if s.i >= len(s.entries) {
		return nil, nil
	}
	s.i++
	return &s.entries[s.i-1], nil
}

func pathOf(b, l *Entry) string {
	if b != nil {
		return b.Path
	}
	return l.Path
}

// diff compares two entries of the same path. Content is only compared
// when both were read; the caller records an unread live entry as
// unchecked.
func diff(b, l *Entry) Diff {
	if l.Type == TypeUnknown {
		return 0 // stat failed: nothing known to compare
	}
	if b.Type != l.Type {
		return DiffType
	}
	var d Diff
	if b.Implicit {
		return 0
	}
	if b.Type != TypeSymlink && b.Mode != l.Mode {
		d |= DiffMode
	}
	if b.UID != l.UID || b.GID != l.GID {
		d |= DiffOwner
	}
	switch b.Type {
	case TypeRegular:
		if l.Status == StatusOK && b.Status == StatusOK && (b.SHA256 != l.SHA256 || b.Size != l.Size) {
			d |= DiffContent
		}
		if !bytes.Equal(b.Caps, l.Caps) {
			d |= DiffCaps
		}
		if b.Nlink != l.Nlink && b.Nlink != 0 {
			d |= DiffLinkCount
		}
	case TypeSymlink:
		if b.Link != l.Link {
			d |= DiffLink
		}
	case TypeCharDevice, TypeBlockDevice:
		if b.Major != l.Major || b.Minor != l.Minor {
			d |= DiffDevice
		}
	}
	return d
}

// String names the differing attributes, e.g. "content, mode".
func (d Diff) String() string {
	names := []string{"type", "content", "mode", "owner", "link target", "capabilities", "device numbers", "link count"}
	var out []string
	for i, n := range names {
		if d&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return strings.Join(out, ", ")
}
