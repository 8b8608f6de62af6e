package baseline

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"

	"github.com/klauspost/compress/gzip"

	"github.com/immutcheck/immutcheck/drift"
)

// Reader decodes a checked baseline entry by entry (drift.EntrySource):
// only the compressed file is in memory, never the decoded entries.
type Reader struct {
	// data is the checked file; or the file is read again and hashed, and
	// must hash to digest (newFileReader).
	data   []byte
	file   *os.File
	size   int64
	digest [sha256.Size]byte
	hash   hash.Hash
	body   *io.SectionReader
	header Header
	d      *decoder
	prev   string
	n      uint64
	ended  bool
	// entry is the one Next returns, decoded again by each call.
	entry drift.Entry
}

// NewReader checks a baseline file's magic, version and checksum and reads
// its header. Any damage is an ErrCorrupt error, another format version an
// ErrFormat error.
func NewReader(data []byte) (*Reader, error) {
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrCorrupt, MaxFileSize)
	}
	if len(data) < len(magic)+1+trailerLength || !bytes.Equal(data[:len(magic)], magic) {
		return nil, fmt.Errorf("%w: not a baseline file", ErrCorrupt)
	}
	body, trailer := data[:len(data)-trailerLength], data[len(data)-trailerLength:]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], trailer) {
		return nil, fmt.Errorf("%w: checksum mismatch (truncated or modified)", ErrCorrupt)
	}
	if v := data[len(magic)]; v != FormatVersion {
		return nil, formatError(v)
	}
	r := &Reader{data: data}
	if err := r.start(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return r, nil
}

// formatError is the error for a baseline of format version v.
func formatError(v byte) error {
	return fmt.Errorf("%w: format version %d; this version of immutcheck reads version %d only: create the baseline again with \"immutcheck baseline create\"", ErrFormat, v, FormatVersion)
}

// start opens the gzip stream and reads the header.
func (r *Reader) start() error {
	var body io.Reader
	if r.file == nil {
		body = bytes.NewReader(r.data[len(magic)+1 : len(r.data)-trailerLength])
	} else {
		head := make([]byte, len(magic)+1)
		if _, err := r.file.ReadAt(head, 0); err != nil {
			return err
		}
		r.hash = sha256.New()
		r.hash.Write(head)
		r.body = io.NewSectionReader(r.file, int64(len(head)), r.size-int64(len(head))-trailerLength)
		body = io.TeeReader(r.body, r.hash)
	}
	zr, err := gzip.NewReader(body)
	if err != nil {
		return err
	}
	return r.readHeader(zr)
}

// newFileReader decodes the baseline file f, verified as id, reading it
// again: Finish then checks that the file still hashes to id, so memory
// does not hold the file while nothing unverified is ever reported.
func newFileReader(f *os.File, id fileID) (*Reader, error) {
	r := &Reader{file: f, size: id.size, digest: id.digest}
	if err := r.start(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return r, nil
}

// verifyReread finishes hashing the file read again and compares it with
// the verified bytes.
func (r *Reader) verifyReread() error {
	if r.file == nil {
		return nil
	}
	if _, err := io.Copy(r.hash, r.body); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	trailer := make([]byte, trailerLength)
	if _, err := r.file.ReadAt(trailer, r.size-trailerLength); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	r.hash.Write(trailer)
	if !bytes.Equal(r.hash.Sum(nil), r.digest[:]) {
		return fmt.Errorf("%w: the file changed while it was read", ErrCorrupt)
	}
	return nil
}

// Close releases the file of a Reader made by Open.
func (r *Reader) Close() error {
	if r.file == nil {
		return nil
	}
	return r.file.Close()
}

// readHeader starts decoding the uncompressed payload.
func (r *Reader) readHeader(payload io.Reader) error {
	// The buffer holds the longest record whole (see decoder.entry).
	r.d = &decoder{r: bufio.NewReaderSize(io.LimitReader(payload, maxPayload), 256<<10)}
	n := r.d.uvarint()
	if r.d.err == nil && n > maxHeader {
		return fmt.Errorf("header of %d bytes", n)
	}
	hb := r.d.read(int(n))
	if r.d.err != nil {
		return r.d.err
	}
	if err := json.Unmarshal(hb, &r.header); err != nil {
		return fmt.Errorf("header: %v", err)
	}
	if r.header.FormatVersion != FormatVersion {
		return fmt.Errorf("header format version %d", r.header.FormatVersion)
	}
	return nil
}

// Header returns the baseline's header.
func (r *Reader) Header() Header { return r.header }

// Next returns the next entry, nil after the last one, or an ErrCorrupt
// error. The entry is reused by the next call.
func (r *Reader) Next() (*drift.Entry, error) {
	if r.ended {
		return nil, nil
	}
	tag := r.d.read(1)
	switch {
	case r.d.err != nil:
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, r.d.err)
	case tag[0] == tagEnd:
		r.ended = true
		return nil, nil
	case tag[0] != tagEntry:
		return nil, fmt.Errorf("%w: bad record tag", ErrCorrupt)
	}
	if r.n++; r.n > maxEntries {
		return nil, fmt.Errorf("%w: more than %d entries", ErrCorrupt, maxEntries)
	}
	en := &r.entry
	r.d.entry(en)
	if r.d.err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, r.d.err)
	}
	if !cleanPath(en.Path) || r.n > 1 && !drift.Less(r.prev, en.Path) {
		return nil, fmt.Errorf("%w: entry %d: path out of order or not clean", ErrCorrupt, r.n)
	}
	r.prev = en.Path
	return en, nil
}

// Finish reads the metadata after the last entry (Next must have returned
// nil) and returns it as a snapshot without Entries, whose LookupAll reads
// the baseline again.
func (r *Reader) Finish() (*drift.Snapshot, error) {
	if !r.ended {
		return nil, errors.New("baseline entries not read to the end")
	}
	n := r.d.uvarint()
	if r.d.err == nil && n > maxMeta {
		return nil, fmt.Errorf("%w: metadata of %d bytes", ErrCorrupt, n)
	}
	mb := r.d.read(int(n))
	if r.d.err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, r.d.err)
	}
	var m meta
	if err := json.Unmarshal(mb, &m); err != nil {
		return nil, fmt.Errorf("%w: metadata: %v", ErrCorrupt, err)
	}
	if _, err := r.d.r.ReadByte(); err != io.EOF {
		return nil, fmt.Errorf("%w: trailing data after the metadata", ErrCorrupt)
	}
	if err := r.verifyReread(); err != nil {
		return nil, err
	}
	return &drift.Snapshot{PackageDB: m.PackageDB, Packages: m.Packages, Accounts: m.Accounts, Count: int(r.n), LookupAll: r.lookupAll}, nil
}

// lookupAll reads the (already checked) baseline again for the entries at
// paths.
func (r *Reader) lookupAll(paths []string) map[string]*drift.Entry {
	want := make(map[string]bool, len(paths))
	for _, p := range paths {
		want[p] = true
	}
	out := map[string]*drift.Entry{}
	again := &Reader{data: r.data, file: r.file, size: r.size, digest: r.digest}
	if again.start() != nil {
		return map[string]*drift.Entry{}
	}
	for {
		en, err := again.Next()
		if err != nil {
			return map[string]*drift.Entry{}
		}
		if en == nil {
			break
		}
		if want[en.Path] {
			c := *en
			out[en.Path] = &c
		}
	}
	// Read to the end: a file read again must hash to the verified bytes,
	// or nothing it said is used (every path is then missing).
	if _, err := again.Finish(); err != nil {
		return map[string]*drift.Entry{}
	}
	return out
}

// Decode checks and parses a whole baseline file into a snapshot that
// holds its entries. Any damage is an ErrCorrupt error; nothing partial is
// returned.
func Decode(data []byte) (Header, *drift.Snapshot, error) {
	r, err := NewReader(data)
	if err != nil {
		return Header{}, nil, err
	}
	s, err := r.readAll()
	if err != nil {
		return Header{}, nil, err
	}
	return r.header, s, nil
}

// Check checks a whole baseline file like Decode, one entry at a time,
// keeping none of them: memory does not grow with their number. It
// returns the header and the number of entries.
func Check(data []byte) (Header, int, error) {
	r, err := NewReader(data)
	if err != nil {
		return Header{}, 0, err
	}
	for {
		en, err := r.Next()
		if err != nil {
			return Header{}, 0, err
		}
		if en == nil {
			break
		}
	}
	if _, err := r.Finish(); err != nil {
		return Header{}, 0, err
	}
	return r.header, int(r.n), nil
}

// readAll decodes the remaining entries and the metadata into a snapshot
// that holds the entries.
func (r *Reader) readAll() (*drift.Snapshot, error) {
	var entries []drift.Entry
	for {
		en, err := r.Next()
		if err != nil {
			return nil, err
		}
		if en == nil {
			break
		}
		entries = append(entries, *en)
	}
	s, err := r.Finish()
	if err != nil {
		return nil, err
	}
	s.Entries, s.LookupAll = entries, nil
	return s, nil
}

// cleanPath reports whether p is absolute and clean ("/", "/a/b"), without
// path.Clean's allocation: no empty, "." or ".." component, no trailing
// slash.
func cleanPath(p string) bool {
	if p == "/" {
		return true
	}
	if len(p) < 2 || p[0] != '/' || p[len(p)-1] == '/' {
		return false
	}
	start := 1
	for i := 1; i <= len(p); i++ {
		if i == len(p) || p[i] == '/' {
			c := p[start:i]
			if c == "" || c == "." || c == ".." {
				return false
			}
			start = i + 1
		}
	}
	return true
}
