package drift

import (
	"fmt"
	"maps"
	"slices"
)

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
	// max is the bound on the changes kept in detail; omitted counts the
	// others.
	max     int
	omitted map[omitKey]int
	// uncheckedOmitted counts the unchecked paths over the bound by
	// top-level directory.
	uncheckedOmitted map[string]int
}

// NewMerger starts merging the baseline entries of base. It keeps at most
// DefaultMaxChanges changes in detail; Limit changes the bound.
func NewMerger(base EntrySource, ig *Ignores) *Merger {
	return &Merger{base: base, ig: ig, c: &Comparison{MaxChanges: DefaultMaxChanges}, max: DefaultMaxChanges, omitted: map[omitKey]int{}, uncheckedOmitted: map[string]int{}}
}

// Limit sets the number of changes kept in detail (at least one). It must
// be called before the first entry is merged.
func (m *Merger) Limit(n int) {
	m.max = max(n, 1)
	m.c.MaxChanges = m.max
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
// Less order. The merger keeps a copy of l when it is part of a change: l
// may be reused after the call.
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
	m.c.Omitted = sortedOmitted(m.omitted)
	for _, dir := range slices.Sorted(maps.Keys(m.uncheckedOmitted)) {
		m.c.UncheckedOmitted = append(m.c.UncheckedOmitted, Omitted{Dir: dir, N: m.uncheckedOmitted[dir]})
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
			m.unchecked(b)
		}
		return
	}
	if l != nil && l.Status != StatusOK {
		m.unchecked(l)
		if l.Type == TypeDir || l.Type == TypeUnknown {
			m.blind = l.Path
		}
	}
	switch {
	case b == nil:
		m.change(Change{Kind: Added, Path: p, New: l})
	case l == nil:
		m.change(Change{Kind: Removed, Path: p, Old: b})
	default:
		if d := diff(b, l); d != 0 {
			m.change(Change{Kind: Modified, Path: p, Old: b, New: l, What: d})
		}
	}
}

// change keeps ch, with copies of its entries, while fewer than the bound
// are kept or when package and account classification need it (up to
// maxNeeded more); otherwise it only counts it.
func (m *Merger) change(ch Change) {
	if n := len(m.c.Changes); n >= m.max && (!needed(ch.Path) || n >= m.max+maxNeeded) {
		m.omitted[omitKeyOf(&ch, len(m.omitted))]++
		return
	}
	if ch.Old != nil {
		ch.Old = keep(ch.Old)
	}
	if ch.New != nil {
		ch.New = keep(ch.New)
	}
	m.c.Changes = append(m.c.Changes, ch)
}

// unchecked keeps e as unchecked within the bound, and counts it beyond.
func (m *Merger) unchecked(e *Entry) {
	if len(m.c.Unchecked) < m.max {
		m.c.Unchecked = append(m.c.Unchecked, keep(e))
		return
	}
	dir := topDir(e.Path)
	if _, ok := m.uncheckedOmitted[dir]; !ok && len(m.uncheckedOmitted) >= maxOmittedDirs {
		dir = "/"
	}
	m.uncheckedOmitted[dir]++
}

// keep copies an entry that is part of the comparison: both streams reuse
// theirs.
func keep(e *Entry) *Entry {
	c := *e
	return &c
}

// mergeBatch is how many live entries go to the merging goroutine at once.
const mergeBatch = 512

// Async runs the merge in its own goroutine, so that decoding the baseline
// overlaps with walking the tree. It returns the function to pass as
// WalkOptions.Emit, and wait, which must be called after the walk and
// before Finish. Entries are handed over in batches.
func (m *Merger) Async() (emit func(*Entry), wait func()) {
	ch := make(chan []Entry, 16)
	// Batches go back to be filled again: nothing is allocated per entry.
	free := make(chan []Entry, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for batch := range ch {
			for i := range batch {
				m.Live(&batch[i])
			}
			select {
			case free <- batch[:0]:
			default: // the last batches, when the walk holds none
			}
		}
	}()
	batch := make([]Entry, 0, mergeBatch)
	emit = func(e *Entry) {
		batch = append(batch, *e)
		if len(batch) == mergeBatch {
			ch <- batch
			select {
			case batch = <-free:
			default:
				batch = make([]Entry, 0, mergeBatch)
			}
		}
	}
	wait = func() {
		if len(batch) > 0 {
			ch <- batch
		}
		close(ch)
		<-done
	}
	return emit, wait
}
