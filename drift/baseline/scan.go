package baseline

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/gzip"
)

// fileID is what a baseline file was when it was verified: its size and
// the SHA-256 of all its bytes. A Reader reading the file again must find
// the same.
type fileID struct {
	size   int64
	digest [sha256.Size]byte
}

// scanned is what one pass over a baseline file found: its identity, its
// header, and err, the first thing wrong with its content (not a baseline,
// checksum, format version, header), reported after the signature check.
type scanned struct {
	id     fileID
	header Header
	err    error
}

// scan reads the size bytes of a baseline file once, as a stream: it
// writes all of them to sig (when not nil), hashes them, checks the
// trailer, and decodes the header from the same bytes, so the header is
// part of what the signature covers. The error is about reading the file;
// what is wrong with its content is in scanned.err.
func scan(f *os.File, size int64, sig io.Writer) (scanned, error) {
	var s scanned
	whole, body := sha256.New(), sha256.New()
	all := []io.Writer{whole}
	if sig != nil {
		all = append(all, sig)
	}
	bodyW := io.MultiWriter(append(all, body)...)
	n := max(size-trailerLength, 0)
	headLen := min(int64(len(magic)+1), n)
	head := make([]byte, headLen)
	if _, err := f.ReadAt(head, 0); err != nil {
		return s, fmt.Errorf("read baseline: %w", err)
	}
	bodyW.Write(head)
	rest := io.TeeReader(io.NewSectionReader(f, headLen, n-headLen), bodyW)
	isBaseline := size >= int64(len(magic)+1+trailerLength) && bytes.Equal(head[:len(magic)], magic)
	var headerErr error
	if isBaseline && head[len(magic)] == FormatVersion {
		var r Reader
		zr, err := gzip.NewReader(rest)
		if err == nil {
			err = r.readHeader(zr)
		}
		headerErr, s.header = err, r.header
	}
	if _, err := io.Copy(io.Discard, rest); err != nil {
		return s, fmt.Errorf("read baseline: %w", err)
	}
	trailer := make([]byte, size-n)
	if _, err := f.ReadAt(trailer, n); err != nil {
		return s, fmt.Errorf("read baseline: %w", err)
	}
	io.MultiWriter(all...).Write(trailer)
	if fi, err := f.Stat(); err != nil || fi.Size() != size {
		return s, fmt.Errorf("%w: the file changed while it was read", ErrCorrupt)
	}
	s.id.size = size
	whole.Sum(s.id.digest[:0])
	switch {
	case !isBaseline:
		s.err = fmt.Errorf("%w: not a baseline file", ErrCorrupt)
	case !bytes.Equal(body.Sum(nil), trailer):
		s.err = fmt.Errorf("%w: checksum mismatch (truncated or modified)", ErrCorrupt)
	case head[len(magic)] != FormatVersion:
		s.err = formatError(head[len(magic)])
	case headerErr != nil:
		s.err = fmt.Errorf("%w: %v", ErrCorrupt, headerErr)
	}
	return s, nil
}
