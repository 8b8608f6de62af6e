package baseline

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"

	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/drift/pkgdb"
)

var magic = []byte("ICBASE\x00")

// ErrCorrupt is wrapped by every error about a baseline file that is not
// exactly what was written: truncated, bit-flipped or malformed.
var ErrCorrupt = errors.New("baseline corrupt")

// Limits on what Decode accepts.
const (
	MaxFileSize   = 1 << 30
	maxPayload    = 8 << 30
	maxMeta       = 512 << 20
	maxEntries    = 50_000_000
	maxPathLen    = 1 << 16
	maxAttrLen    = 1 << 16
	flagExec      = 1
	flagImplicit  = 2
	flagCaps      = 4
	trailerLength = sha256.Size
)

// meta is the JSON part of the payload.
type meta struct {
	Header    Header          `json:"header"`
	PackageDB string          `json:"packageDB,omitempty"`
	Packages  []pkgdb.Package `json:"packages,omitempty"`
	Accounts  drift.Accounts  `json:"accounts"`
}

// Encode writes a baseline of s to w. The snapshot must be complete: a
// baseline with unread entries would hide whatever is there.
func Encode(w io.Writer, h Header, s *drift.Snapshot) error {
	if inc := s.Incomplete(); len(inc) > 0 {
		return fmt.Errorf("encode baseline: %d entries could not be read (first: %s)", len(inc), inc[0].Path)
	}
	if len(s.Problems) > 0 {
		return fmt.Errorf("encode baseline: %s", s.Problems[0])
	}
	for i := 1; i < len(s.Entries); i++ {
		if !drift.Less(s.Entries[i-1].Path, s.Entries[i].Path) {
			return fmt.Errorf("encode baseline: entries out of order at %q", s.Entries[i].Path)
		}
	}
	h.FormatVersion = FormatVersion
	sum := sha256.New()
	out := io.MultiWriter(w, sum)
	if _, err := out.Write(append(append([]byte{}, magic...), FormatVersion)); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	zw, _ := gzip.NewWriterLevel(out, gzip.BestSpeed)
	bw := bufio.NewWriterSize(zw, 1<<16)
	m, err := json.Marshal(meta{Header: h, PackageDB: s.PackageDB, Packages: s.Packages, Accounts: s.Accounts})
	if err != nil {
		return fmt.Errorf("encode baseline header: %w", err)
	}
	e := &encoder{w: bw}
	e.uvarint(uint64(len(m)))
	e.bytes(m)
	e.uvarint(uint64(len(s.Entries)))
	prev := ""
	for i := range s.Entries {
		e.entry(prev, &s.Entries[i])
		prev = s.Entries[i].Path
	}
	if e.err == nil {
		e.err = bw.Flush()
	}
	if e.err == nil {
		e.err = zw.Close()
	}
	if e.err == nil {
		_, e.err = w.Write(sum.Sum(nil))
	}
	if e.err != nil {
		return fmt.Errorf("write baseline: %w", e.err)
	}
	return nil
}

// encoder writes the binary parts, remembering the first error.
type encoder struct {
	w   *bufio.Writer
	err error
	tmp [binary.MaxVarintLen64]byte
}

func (e *encoder) uvarint(v uint64) {
	if e.err == nil {
		_, e.err = e.w.Write(e.tmp[:binary.PutUvarint(e.tmp[:], v)])
	}
}

func (e *encoder) bytes(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}

func (e *encoder) str(s string) {
	e.uvarint(uint64(len(s)))
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

// entry writes one entry, its path front-coded against the previous one.
func (e *encoder) entry(prev string, en *drift.Entry) {
	n := 0
	for n < len(prev) && n < len(en.Path) && prev[n] == en.Path[n] {
		n++
	}
	e.uvarint(uint64(n))
	e.str(en.Path[n:])
	var flags byte
	if en.Exec {
		flags |= flagExec
	}
	if en.Implicit {
		flags |= flagImplicit
	}
	if len(en.Caps) > 0 {
		flags |= flagCaps
	}
	e.bytes([]byte{byte(en.Type), flags})
	e.uvarint(uint64(en.Mode))
	e.uvarint(uint64(en.UID))
	e.uvarint(uint64(en.GID))
	switch en.Type {
	case drift.TypeRegular:
		e.uvarint(uint64(en.Size))
		e.uvarint(uint64(en.Nlink))
		e.bytes(en.SHA256[:])
	case drift.TypeSymlink:
		e.str(en.Link)
	case drift.TypeCharDevice, drift.TypeBlockDevice:
		e.uvarint(uint64(en.Major))
		e.uvarint(uint64(en.Minor))
	}
	if len(en.Caps) > 0 {
		e.str(string(en.Caps))
	}
}

// Decode checks and parses a baseline file. Any damage is an ErrCorrupt
// error; nothing partial is returned.
func Decode(data []byte) (Header, *drift.Snapshot, error) {
	if len(data) > MaxFileSize {
		return Header{}, nil, fmt.Errorf("%w: larger than %d bytes", ErrCorrupt, MaxFileSize)
	}
	if len(data) < len(magic)+1+trailerLength || !bytes.Equal(data[:len(magic)], magic) {
		return Header{}, nil, fmt.Errorf("%w: not a baseline file", ErrCorrupt)
	}
	if v := data[len(magic)]; v != FormatVersion {
		return Header{}, nil, fmt.Errorf("%w: format version %d, want %d", ErrCorrupt, v, FormatVersion)
	}
	body, trailer := data[:len(data)-trailerLength], data[len(data)-trailerLength:]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], trailer) {
		return Header{}, nil, fmt.Errorf("%w: checksum mismatch (truncated or modified)", ErrCorrupt)
	}
	zr, err := gzip.NewReader(bytes.NewReader(body[len(magic)+1:]))
	if err != nil {
		return Header{}, nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	h, s, err := decodePayload(bufio.NewReaderSize(io.LimitReader(zr, maxPayload), 1<<16))
	if err != nil {
		return Header{}, nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return h, s, nil
}

// decodePayload parses the uncompressed payload.
func decodePayload(r *bufio.Reader) (Header, *drift.Snapshot, error) {
	d := &decoder{r: r}
	n := d.uvarint()
	if d.err == nil && n > maxMeta {
		return Header{}, nil, fmt.Errorf("header of %d bytes", n)
	}
	mb := d.read(int(n))
	if d.err != nil {
		return Header{}, nil, d.err
	}
	var m meta
	if err := json.Unmarshal(mb, &m); err != nil {
		return Header{}, nil, fmt.Errorf("header: %v", err)
	}
	if m.Header.FormatVersion != FormatVersion {
		return Header{}, nil, fmt.Errorf("header format version %d", m.Header.FormatVersion)
	}
	count := d.uvarint()
	if d.err == nil && count > maxEntries {
		return Header{}, nil, fmt.Errorf("%d entries", count)
	}
	s := &drift.Snapshot{PackageDB: m.PackageDB, Packages: m.Packages, Accounts: m.Accounts}
	s.Entries = make([]drift.Entry, 0, min(count, 1<<16))
	prev := ""
	for i := uint64(0); i < count && d.err == nil; i++ {
		en := d.entry(prev)
		if d.err != nil {
			break
		}
		if en.Path != "/" && (en.Path != path.Clean(en.Path) || en.Path[0] != '/') || prev != "" && !drift.Less(prev, en.Path) {
			return Header{}, nil, fmt.Errorf("entry %d: path out of order or not clean", i)
		}
		s.Entries = append(s.Entries, en)
		prev = en.Path
	}
	if d.err != nil {
		return Header{}, nil, d.err
	}
	if _, err := r.ReadByte(); err != io.EOF {
		return Header{}, nil, errors.New("trailing data after the entries")
	}
	return m.Header, s, nil
}
