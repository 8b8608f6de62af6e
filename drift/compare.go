package drift

import (
	"bytes"
	"fmt"
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

// EntrySource yields a tree's entries in Less order: Next returns nil, nil
// after the last one. A decoded baseline is one.
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

// Merger compares a live tree with a baseline as a merge of two streams:
// the walk pushes live entries (Live), the merger pulls baseline entries
// as far as each one. It keeps only the changes, so memory does not grow
// with the number of unchanged files.
type Merger struct {
	base EntrySource
	// head is the next baseline entry not yet merged (nil: none read, or
	// the end when done is set).
	head *Entry
	done bool
	ig   *Ignores
	c    *Comparison
	// blind is a live directory that was not entered: what the baseline
	// has below it is unchecked, not removed.
	blind    string
	lastLive string
	err      error
}

// NewMerger starts merging the baseline entries of base.
func NewMerger(base EntrySource, ig *Ignores) *Merger {
	return &Merger{base: base, ig: ig, c: &Comparison{}}
}

// peek returns the next baseline entry, or nil at the end or on error.
func (m *Merger) peek() *Entry {
	if m.head == nil && !m.done && m.err == nil {
		m.head, m.err = m.base.Next()
		if m.head == nil {
			m.done = true
		}
	}
	return m.head
}

// Live merges the next live entry, which must follow the previous one in
// Less order. The merger keeps l when it is part of a change.
func (m *Merger) Live(l *Entry) {
	if m.lastLive != "" && comparePaths(m.lastLive, l.Path) >= 0 {
		if m.err == nil {
			m.err = fmt.Errorf("live entries out of order at %q", l.Path)
		}
		return
	}
	m.lastLive = l.Path
	for {
		b := m.peek()
		if b == nil {
			m.pair(nil, l)
			return
		}
		switch comparePaths(b.Path, l.Path) {
		case -1:
			m.head = nil
			m.pair(b, nil)
		case 0:
			m.head = nil
			m.pair(b, l)
			return
		default:
			m.pair(nil, l)
			return
		}
	}
}

// Finish merges the baseline entries after the last live one and returns
// the comparison, or the error of the baseline stream.
func (m *Merger) Finish() (*Comparison, error) {
	for b := m.peek(); b != nil; b = m.peek() {
		m.head = nil
		m.pair(b, nil)
	}
	if m.err != nil {
		return nil, m.err
	}
	return m.c, nil
}

// pair records the difference between a baseline entry and a live one of
// the same path; either may be nil.
func (m *Merger) pair(b, l *Entry) {
	c := m.c
	p := pathOf(b, l)
	if m.ig.Match(p) {
		c.Ignored++
		return
	}
	if m.blind != "" && !under(p, m.blind) {
		m.blind = ""
	}
	if m.blind != "" && p != m.blind {
		if b != nil {
			c.Unchecked = append(c.Unchecked, b)
		}
		return
	}
	if l != nil && l.Status != StatusOK {
		c.Unchecked = append(c.Unchecked, l)
		if l.Type == TypeDir || l.Type == TypeUnknown {
			m.blind = l.Path
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
