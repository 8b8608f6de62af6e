package drift

// The walk's window: entries are listed in Less order, wait there while
// their files are hashed in parallel, and are emitted in the same order as
// soon as everything before them is complete. The window is bounded, so a
// walk holds a fixed number of entries whatever the size of the tree.

// slot is an entry waiting to be emitted: until its hash result came back,
// or until the first name of its inode was emitted.
type slot struct {
	e       Entry
	waiting bool
	// alias is set for a second name of a hard-linked inode, whose first
	// name is entry number first; hasLinks for a first name with others
	// to come; lastName for the last name the link count announced.
	alias, hasLinks, lastName bool
	first                     int
	// fast is set for a file looked up in the --fast cache, with its key.
	fast bool
	key  StatKey
	at   fastPos
}

// window bounds the entries held between listing and emitting.
const window = 4096

// at returns the listed entry numbered n, which must not be emitted yet.
func (w *walker) at(n int) *Entry { return &w.win[n-w.base].e }

// next is the number the next listed entry gets.
func (w *walker) next() int { return w.base + len(w.win) }

// push lists one more entry. Entries before it whose content is known are
// emitted first, so the entry just pushed stays editable (a directory's
// status) until the next push; a full window waits for hash results.
func (w *walker) push(s slot) {
	w.collect(false)
	w.emitReady()
	for len(w.win) >= window {
		w.collect(true)
		w.emitReady()
	}
	w.win = append(w.win, s)
}

// hash sends a job, applying results while the hashers are busy.
func (w *walker) hash(j hashJob) {
	w.hashing++
	for {
		select {
		case w.jobs <- j:
			return
		case r := <-w.results:
			w.apply(r)
		}
	}
}

// collect applies the results that came back (waiting for one if block).
func (w *walker) collect(block bool) {
	if block && w.hashing > 0 {
		w.apply(<-w.results)
	}
	for {
		select {
		case r := <-w.results:
			w.apply(r)
		default:
			return
		}
	}
}

// emitReady emits the complete entries at the head of the window.
func (w *walker) emitReady() {
	n := 0
	// An alias follows its first name, which is emitted before it.
	for n < len(w.win) && !w.win[n].waiting {
		n++
	}
	// The last pushed entry stays until the next push (see push).
	if n == len(w.win) && n > 0 {
		n--
	}
	w.emit(n)
}

// emit hands the first n window entries to Emit and drops them.
func (w *walker) emit(n int) {
	for i := range n {
		s := &w.win[i]
		w.out = s.e
		e := &w.out
		switch {
		case s.alias:
			src, ok := w.linkDone[s.first]
			if s.lastName {
				delete(w.linkDone, s.first)
			}
			e.SHA256, e.Caps, e.Exec, e.Status, e.Err = src.SHA256, src.Caps, src.Exec, src.Status, src.Err
			if !ok || src.Status == StatusOK && e.Size != src.Size {
				e.Status, e.Err = StatusChanged, "hard link changed during scan"
			}
		case s.hasLinks:
			w.linkDone[w.base+i] = *e
		}
		if s.fast && e.Status == StatusOK {
			w.opts.Fast.record(e, s.key, s.at)
		}
		w.snap.Count++
		w.opts.Emit(e)
	}
	w.base += n
	w.win = append(w.win[:0], w.win[n:]...)
}
