package baseline

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/immutcheck/immutcheck/drift"
)

// decoder reads the binary parts, remembering the first error.
type decoder struct {
	r   *bufio.Reader
	err error
	// path is the last entry's path, which the next one is front-coded
	// against.
	path []byte
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, err := binary.ReadUvarint(d.r)
	if err != nil {
		d.fail(err)
	}
	return v
}

// u32 reads a uvarint that must fit 32 bits.
func (d *decoder) u32() uint32 {
	v := d.uvarint()
	if v > 1<<32-1 {
		d.fail(errors.New("value out of range"))
	}
	return uint32(v)
}

// read returns the next n bytes. Memory grows with the bytes actually
// present, never with a length the input merely claims.
func (d *decoder) read(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n <= 4096 {
		b := make([]byte, n)
		if _, err := io.ReadFull(d.r, b); err != nil {
			d.fail(err)
			return nil
		}
		return b
	}
	b, err := io.ReadAll(io.LimitReader(d.r, int64(n)))
	if err == nil && len(b) < n {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		d.fail(err)
		return nil
	}
	return b
}

func (d *decoder) str(max uint64) string {
	n := d.uvarint()
	if d.err == nil && n > max {
		d.fail(fmt.Errorf("string of %d bytes", n))
	}
	return string(d.read(int(n)))
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		d.err = err
	}
}

// entry reads one entry written by encoder.entry into en.
func (d *decoder) entry(en *drift.Entry) {
	shared := d.uvarint()
	if d.err == nil && shared > uint64(len(d.path)) {
		d.fail(errors.New("bad path prefix"))
	}
	n := d.uvarint()
	if d.err == nil && n > maxPathLen {
		d.fail(fmt.Errorf("string of %d bytes", n))
	}
	if d.err != nil {
		return
	}
	d.path = append(d.path[:shared], make([]byte, n)...)
	if _, err := io.ReadFull(d.r, d.path[shared:]); err != nil {
		d.fail(err)
		return
	}
	en.Path = string(d.path)
	var tf [2]byte
	if _, err := io.ReadFull(d.r, tf[:]); err != nil {
		d.fail(err)
		return
	}
	en.Type, en.Exec, en.Implicit = drift.Type(tf[0]), tf[1]&flagExec != 0, tf[1]&flagImplicit != 0
	if en.Type == drift.TypeUnknown || en.Type > drift.TypeSocket || tf[1]&^(flagExec|flagImplicit|flagCaps) != 0 {
		d.fail(fmt.Errorf("entry %q: bad type or flags", en.Path))
		return
	}
	en.Mode, en.UID, en.GID = d.u32(), d.u32(), d.u32()
	if en.Mode > 0o7777 {
		d.fail(fmt.Errorf("entry %q: bad mode", en.Path))
	}
	switch en.Type {
	case drift.TypeRegular:
		size := d.uvarint()
		if size > 1<<62 {
			d.fail(errors.New("size out of range"))
		}
		en.Size, en.Nlink = int64(size), d.u32()
		if _, err := io.ReadFull(d.r, en.SHA256[:]); err != nil {
			d.fail(err)
		}
	case drift.TypeSymlink:
		en.Link = d.str(maxAttrLen)
	case drift.TypeCharDevice, drift.TypeBlockDevice:
		en.Major, en.Minor = d.u32(), d.u32()
	}
	if tf[1]&flagCaps != 0 {
		en.Caps = []byte(d.str(maxAttrLen))
	}
}
