package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// listProgress prints, on a terminal, how many objects of each collection
// the cluster audit has listed: "listed pods 1500, replicasets 20", at
// most every 200 ms, and a last line with the totals and the time taken.
type listProgress struct {
	w      io.Writer
	start  time.Time
	last   time.Time
	counts map[string]int
	order  []string
}

func newListProgress(stderr io.Writer) *listProgress {
	p := &listProgress{start: time.Now(), counts: map[string]int{}}
	if isTerminal(stderr) {
		p.w = stderr
	}
	return p
}

// update records that n objects of resource were listed so far. List
// never calls it concurrently.
func (p *listProgress) update(resource string, n int) {
	if _, ok := p.counts[resource]; !ok {
		p.order = append(p.order, resource)
	}
	p.counts[resource] = n
	if p.w == nil || time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\r\x1b[Klisted %s", p.line())
}

func (p *listProgress) line() string {
	parts := make([]string, 0, len(p.order))
	for _, r := range p.order {
		parts = append(parts, fmt.Sprintf("%s %d", r, p.counts[r]))
	}
	return strings.Join(parts, ", ")
}

// done prints the totals once listing is over.
func (p *listProgress) done() {
	if p.w == nil {
		return
	}
	slices.Sort(p.order)
	total := 0
	for _, n := range p.counts {
		total += n
	}
	fmt.Fprintf(p.w, "\r\x1b[Klisted %d objects in %.1fs (%s)\n", total, time.Since(p.start).Seconds(), p.line())
}
