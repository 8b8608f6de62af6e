package baseline

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"

	"github.com/klauspost/compress/gzip"

	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/drift/pkgdb"
)

var magic = []byte("ICBASE\x00")

// ErrCorrupt is wrapped by every error about a baseline file that is not
// exactly what was written: truncated, bit-flipped or malformed.
var ErrCorrupt = errors.New("baseline corrupt")

// ErrFormat is wrapped by the error for a baseline of another format
// version than this tool reads.
var ErrFormat = errors.New("baseline format not supported")

// Limits on what Decode accepts.
const (
	MaxFileSize   = 1 << 30
	maxPayload    = 8 << 30
	maxHeader     = 1 << 20
	maxMeta       = 512 << 20
	maxEntries    = 50_000_000
	maxPathLen    = 1 << 16
	maxAttrLen    = 1 << 16
	flagExec      = 1
	flagImplicit  = 2
	flagCaps      = 4
	trailerLength = sha256.Size
	// Record tags: an entry follows, or the entries ended.
	tagEnd   = 0
	tagEntry = 1
)

// meta is the JSON part that follows the entries: what the tree's package
// and account databases say, known only once the tree was read.
type meta struct {
	PackageDB string          `json:"packageDB,omitempty"`
	Packages  []pkgdb.Package `json:"packages,omitempty"`
	Accounts  drift.Accounts  `json:"accounts"`
}

// Writer writes a baseline entry by entry, so that a tree of any size is
// recorded in constant memory. The file (format version 2) is the magic,
// the version byte, a gzip stream and the SHA-256 of all bytes before it.
// The gzip stream holds the JSON header (length-prefixed), then a tagged
// record per entry in Less order (the path front-coded against the
// previous one), an end tag, and the JSON package and account metadata.
type Writer struct {
	w   io.Writer
	sum hash.Hash
	zw  *gzip.Writer
	bw  *bufio.Writer
	e   *encoder
	// prev is the last path written; n counts entries.
	prev string
	n    int
	err  error
}

// NewWriter starts a baseline with header h on w.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	h.FormatVersion = FormatVersion
	bw := &Writer{w: w, sum: sha256.New()}
	out := io.MultiWriter(w, bw.sum)
	if _, err := out.Write(append(append([]byte{}, magic...), FormatVersion)); err != nil {
		return nil, fmt.Errorf("write baseline: %w", err)
	}
	bw.zw, _ = gzip.NewWriterLevel(out, gzip.BestSpeed)
	bw.bw = bufio.NewWriterSize(bw.zw, 1<<16)
	bw.e = &encoder{w: bw.bw}
	hb, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("encode baseline header: %w", err)
	}
	bw.e.uvarint(uint64(len(hb)))
	bw.e.bytes(hb)
	return bw, nil
}

// Add writes one entry. Entries must come in Less order and be complete: a
// baseline with unread entries would hide whatever is there.
func (w *Writer) Add(en *drift.Entry) error {
	if w.err != nil {
		return w.err
	}
	if en.Status != drift.StatusOK {
		w.err = fmt.Errorf("encode baseline: %s could not be read (%s); a baseline must be complete", en.Path, en.Status)
		return w.err
	}
	if len(en.Path) > maxPathLen || len(en.Link) > maxAttrLen || len(en.Caps) > maxAttrLen {
		w.err = fmt.Errorf("encode baseline: %.200s…: path, link target or capabilities too long for the format (%d bytes at most)", en.Path, maxPathLen)
		return w.err
	}
	if w.n > 0 && !drift.Less(w.prev, en.Path) {
		w.err = fmt.Errorf("encode baseline: entries out of order at %q", en.Path)
		return w.err
	}
	w.e.bytes([]byte{tagEntry})
	w.e.entry(w.prev, en)
	w.prev = en.Path
	w.n++
	if w.e.err != nil {
		w.err = fmt.Errorf("write baseline: %w", w.e.err)
	}
	return w.err
}

// Close writes the metadata of s (its package and account databases; its
// entries must have gone through Add) and the checksum. A snapshot with
// problems is refused.
func (w *Writer) Close(s *drift.Snapshot) error {
	if w.err != nil {
		return w.err
	}
	if len(s.Problems) > 0 {
		return fmt.Errorf("encode baseline: %s", s.Problems[0])
	}
	m, err := json.Marshal(meta{PackageDB: s.PackageDB, Packages: s.Packages, Accounts: s.Accounts})
	if err != nil {
		return fmt.Errorf("encode baseline metadata: %w", err)
	}
	e := w.e
	e.bytes([]byte{tagEnd})
	e.uvarint(uint64(len(m)))
	e.bytes(m)
	if e.err == nil {
		e.err = w.bw.Flush()
	}
	if e.err == nil {
		e.err = w.zw.Close()
	}
	if e.err == nil {
		_, e.err = w.w.Write(w.sum.Sum(nil))
	}
	if e.err != nil {
		w.err = fmt.Errorf("write baseline: %w", e.err)
	}
	return w.err
}

// Entries returns how many entries were written.
func (w *Writer) Entries() int { return w.n }

// Encode writes a baseline of s, whose entries it holds, to w.
func Encode(w io.Writer, h Header, s *drift.Snapshot) error {
	bw, err := NewWriter(w, h)
	if err != nil {
		return err
	}
	for i := range s.Entries {
		if err := bw.Add(&s.Entries[i]); err != nil {
			return err
		}
	}
	return bw.Close(s)
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
