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
}

// Incomplete reports whether something could not be checked.
func (c *Comparison) Incomplete() bool {
	return len(c.Unchecked) > 0 || len(c.Problems) > 0
}

// Compare merges a baseline and a live snapshot, both in Less order, into
// the list of changes. Ignored paths are left out on both sides.
func Compare(base, live *Snapshot, ig *Ignores) *Comparison {
	c := &Comparison{Problems: append(append([]string(nil), base.Problems...), live.Problems...)}
	// Directories of the live tree that were not entered: what the baseline
	// has below them is unchecked, not removed.
	var blind string
	i, j := 0, 0
	for i < len(base.Entries) || j < len(live.Entries) {
		var b, l *Entry
		switch {
		case j >= len(live.Entries):
			b = &base.Entries[i]
		case i >= len(base.Entries):
			l = &live.Entries[j]
		default:
			switch comparePaths(base.Entries[i].Path, live.Entries[j].Path) {
			case -1:
				b = &base.Entries[i]
			case 1:
				l = &live.Entries[j]
			default:
				b, l = &base.Entries[i], &live.Entries[j]
			}
		}
		if b != nil {
			i++
		}
		if l != nil {
			j++
		}
		p := pathOf(b, l)
		if ig.Match(p) {
			c.Ignored++
			continue
		}
		if blind != "" && !under(p, blind) {
			blind = ""
		}
		if blind != "" && p != blind {
			if b != nil {
				c.Unchecked = append(c.Unchecked, b)
			}
			continue
		}
		if l != nil && l.Status != StatusOK {
			c.Unchecked = append(c.Unchecked, l)
			if l.Type == TypeDir || l.Type == TypeUnknown {
				blind = l.Path
			}
		}
		switch {
		case b == nil:
			c.Changes = append(c.Changes, Change{Kind: Added, Path: p, New: l})
		case l == nil:
			c.Changes = append(c.Changes, Change{Kind: Removed, Path: p, Old: b})
		default:
			if d := diff(b, l); d != 0 {
				c.Changes = append(c.Changes, Change{Kind: Modified, Path: p, Old: b, New: l, What: d})
			}
		}
	}
	return c
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
