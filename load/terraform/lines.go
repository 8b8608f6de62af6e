package terraform

import "bytes"

// lineCounter turns increasing byte offsets into 1-based line numbers,
// counting newlines only once over the whole input.
type lineCounter struct {
	data []byte
	off  int
	line int
}

func newLineCounter(data []byte) *lineCounter { return &lineCounter{data: data, line: 1} }

// at returns the line of the first non-blank, non-comma byte at or after
// off. Offsets must not decrease between calls.
func (lc *lineCounter) at(off int) int {
	for off < len(lc.data) {
		c := lc.data[off]
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ',' && c != ':' {
			break
		}
		off++
	}
	if off < lc.off {
		return lc.line
	}
	lc.line += bytes.Count(lc.data[lc.off:off], []byte{'\n'})
	lc.off = off
	return lc.line
}
