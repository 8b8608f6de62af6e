package drift

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"
)

// The --fast cache file: the magic, the root it describes, then one record
// per file in Less order until the end of the file. A record is the path
// front-coded against the previous one (shared prefix length, suffix), the
// stat tuple as varints, the SHA-256, a flags byte, and the capability
// attribute when flagged. There is no count and no checksum: the file is
// read as a stream, and a damaged file only makes lookups miss (the file is
// hashed) or, for a flipped digest, reports drift; it never hides any.
var fastMagic = []byte("ICFAST\x00\x02")

// Bounds on what a cache file may claim.
const (
	maxFastPath = 1 << 16
	maxFastCaps = 1 << 10
	fastExec    = 1
	fastCaps    = 2
)

var errFastCorrupt = errors.New("fast cache damaged")

// maxFastFile bounds the cache file read.
const maxFastFile = 1 << 30

// NewFastCache returns a cache for the tree at root that looks digests up
// in prev (a cache file written for the same root, read forward once and
// copied from when the new cache starts with the same records; nil or
// another root's cache is treated as empty) and writes this walk's records
// to next, but only from the first difference on: an unchanged cache is
// never written (see Changed).
func NewFastCache(root string, prev io.ReaderAt, next io.Writer) *FastCache {
	c := &FastCache{recent: time.Now().Add(-RacyWindow).UnixNano(), src: prev}
	if prev != nil {
		c.prev = newFastReader(io.NewSectionReader(prev, 0, maxFastFile), root)
	}
	if next != nil {
		c.next = newFastWriter(next, root)
	}
	return c
}

// fastReader walks an old cache file forward, one record at a time.
type fastReader struct {
	r  *bufio.Reader
	cr *countingReader
	// start is the offset of the first record; end the offset after the
	// record loaded.
	start, end int64
	path       []byte
	key        StatKey
	sum        [32]byte
	flag       byte
	caps       []byte
	// valid says a record is loaded; read counts records read.
	valid bool
	read  int
	err   error
}

func newFastReader(r io.Reader, root string) *fastReader {
	cr := &countingReader{r: r}
	fr := &fastReader{r: bufio.NewReaderSize(cr, 1<<16), cr: cr}
	head := make([]byte, len(fastMagic))
	if _, err := io.ReadFull(fr.r, head); err != nil || !bytes.Equal(head, fastMagic) {
		fr.err = fmt.Errorf("%w: not a cache file of this version", errFastCorrupt)
		return fr
	}
	if n := fr.uvarint(); fr.err == nil && (n != uint64(len(root)) || fr.bytes(int(n)) != root) {
		fr.err = fmt.Errorf("%w: cache of another root", errFastCorrupt)
		return fr
	}
	fr.start = fr.offset()
	fr.next()
	return fr
}

// offset is how far the records were decoded.
func (fr *fastReader) offset() int64 { return fr.cr.n - int64(fr.r.Buffered()) }

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (fr *fastReader) uvarint() uint64 {
	if fr.err != nil {
		return 0
	}
	v, err := binary.ReadUvarint(fr.r)
	if err != nil {
		fr.fail(err)
	}
	return v
}

func (fr *fastReader) varint() int64 {
	if fr.err != nil {
		return 0
	}
	v, err := binary.ReadVarint(fr.r)
	if err != nil {
		fr.fail(err)
	}
	return v
}

// bytes reads n bytes (n bounded by the caller) as a string.
func (fr *fastReader) bytes(n int) string {
	b := make([]byte, n)
	if _, err := io.ReadFull(fr.r, b); err != nil {
		fr.fail(err)
	}
	return string(b)
}

func (fr *fastReader) fail(err error) {
	if fr.err == nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		fr.err = fmt.Errorf("%w: %v", errFastCorrupt, err)
	}
	fr.valid = false
}

// u32 reads a uvarint that must fit 32 bits.
func (fr *fastReader) u32() uint32 {
	v := fr.uvarint()
	if v > 1<<32-1 {
		fr.fail(errors.New("value out of range"))
	}
	return uint32(v)
}

// next loads the following record; at the end of the file valid is false.
func (fr *fastReader) next() {
	fr.valid = false
	if fr.err != nil {
		return
	}
	if _, err := fr.r.Peek(1); err == io.EOF {
		return
	}
	shared, n := fr.uvarint(), fr.uvarint()
	if fr.err == nil && (shared > uint64(len(fr.path)) || n > maxFastPath || shared+n > maxFastPath) {
		fr.fail(errors.New("bad path length"))
	}
	if fr.err != nil {
		return
	}
	// The writer shares the longest prefix, so the first byte after it must
	// sort after the previous path's byte there (or extend that path).
	prevLen, at := len(fr.path), -1
	if shared < uint64(prevLen) {
		at = int(fr.path[shared])
	}
	fr.path = fr.path[:shared]
	fr.path = append(fr.path, make([]byte, n)...)
	if _, err := io.ReadFull(fr.r, fr.path[shared:]); err != nil {
		fr.fail(err)
		return
	}
	if fr.read > 0 && (n == 0 || at >= 0 && comparePaths([]byte{byte(at)}, fr.path[shared:shared+1]) >= 0) {
		fr.fail(errors.New("record out of order"))
		return
	}
	k := &fr.key
	k.Dev, k.Ino = fr.uvarint(), fr.uvarint()
	k.Size = fr.varint()
	k.Mode, k.UID, k.GID = fr.u32(), fr.u32(), fr.u32()
	k.Mtime, k.Ctime = fr.varint(), fr.varint()
	if _, err := io.ReadFull(fr.r, fr.sum[:]); err != nil {
		fr.fail(err)
		return
	}
	flag, err := fr.r.ReadByte()
	if err != nil {
		fr.fail(err)
		return
	}
	fr.flag, fr.caps = flag, fr.caps[:0]
	if flag&fastCaps != 0 {
		n := fr.uvarint()
		if fr.err == nil && n > maxFastCaps {
			fr.fail(errors.New("capabilities too long"))
		}
		if fr.err != nil {
			return
		}
		fr.caps = append(fr.caps, fr.bytes(int(n))...)
	}
	if fr.err == nil {
		fr.valid = true
		fr.read++
		fr.end = fr.offset()
	}
}

// lookup advances to p and returns its digest when the record's stat tuple
// is k. Records before p are skipped; a record out of order stops the
// reader (the rest of the walk hashes).
func (fr *fastReader) lookup(p string, k StatKey) (sum [32]byte, caps []byte, exec bool, at fastPos, ok bool) {
	for fr.valid {
		c := comparePaths(fr.path, p)
		if c > 0 {
			return
		}
		if c == 0 {
			if fr.key != k {
				fr.next()
				return
			}
			sum, exec, ok = fr.sum, fr.flag&fastExec != 0, true
			at = fastPos{index: fr.read, end: fr.end}
			if len(fr.caps) > 0 {
				caps = append([]byte(nil), fr.caps...)
			}
			fr.next()
			return
		}
		fr.next()
	}
	return
}

// fastPos locates a record of the old cache: its number (from 1) and the
// offset after it.
type fastPos struct {
	index int
	end   int64
}

// drain reads the remaining records and returns how many the file held.
func (fr *fastReader) drain() int {
	for fr.valid {
		fr.next()
	}
	return fr.read
}

// fastWriter writes a cache file record by record.
type fastWriter struct {
	w    *bufio.Writer
	prev string
	tmp  [binary.MaxVarintLen64]byte
	err  error
}

func newFastWriter(w io.Writer, root string) *fastWriter {
	fw := &fastWriter{w: bufio.NewWriterSize(w, 1<<16)}
	fw.raw(fastMagic)
	fw.uvarint(uint64(len(root)))
	fw.str(root)
	return fw
}

func (fw *fastWriter) raw(b []byte) {
	if fw.err == nil {
		_, fw.err = fw.w.Write(b)
	}
}

func (fw *fastWriter) str(s string) {
	if fw.err == nil {
		_, fw.err = fw.w.WriteString(s)
	}
}

func (fw *fastWriter) uvarint(v uint64) { fw.raw(fw.tmp[:binary.PutUvarint(fw.tmp[:], v)]) }
func (fw *fastWriter) varint(v int64)   { fw.raw(fw.tmp[:binary.PutVarint(fw.tmp[:], v)]) }

// write appends the record of e; entries must come in Less order.
func (fw *fastWriter) write(e *Entry, k StatKey) {
	if len(e.Caps) > maxFastCaps || len(e.Path) > maxFastPath {
		return // never looked up again: the file is hashed next time
	}
	n := 0
	for n < len(fw.prev) && n < len(e.Path) && fw.prev[n] == e.Path[n] {
		n++
	}
	fw.uvarint(uint64(n))
	fw.uvarint(uint64(len(e.Path) - n))
	fw.str(e.Path[n:])
	fw.uvarint(k.Dev)
	fw.uvarint(k.Ino)
	fw.varint(k.Size)
	fw.uvarint(uint64(k.Mode))
	fw.uvarint(uint64(k.UID))
	fw.uvarint(uint64(k.GID))
	fw.varint(k.Mtime)
	fw.varint(k.Ctime)
	fw.raw(e.SHA256[:])
	var flag byte
	if e.Exec {
		flag |= fastExec
	}
	if len(e.Caps) > 0 {
		flag |= fastCaps
	}
	fw.raw([]byte{flag})
	if len(e.Caps) > 0 {
		fw.uvarint(uint64(len(e.Caps)))
		fw.raw(e.Caps)
	}
	fw.prev = e.Path
}

// finish flushes the writer and returns its first error.
func (fw *fastWriter) finish() error {
	if fw.err == nil {
		fw.err = fw.w.Flush()
	}
	if fw.err != nil {
		return fmt.Errorf("write fast cache: %w", fw.err)
	}
	return nil
}
