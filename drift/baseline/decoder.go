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

// entry reads one entry written by encoder.entry into en. The record is
// parsed in place from the reader's buffer (a record is at most a few
// hundred kilobytes: three strings of at most 64 KiB); one that is not
// buffered whole yet is parsed again from a longer peek.
func (d *decoder) entry(en *drift.Entry) {
	if d.err != nil {
		return
	}
	for want := 4096; ; want *= 4 {
		b, perr := d.r.Peek(min(want, d.r.Size()))
		c := cursor{b: b}
		d.parse(&c, en)
		switch {
		case c.err == nil:
			d.r.Discard(c.i)
			return
		case c.err != errShort:
			d.fail(c.err)
			return
		case perr != nil && perr != bufio.ErrBufferFull:
			d.fail(perr) // the stream ended inside the record
			return
		case want >= d.r.Size():
			d.fail(errors.New("record longer than the read buffer"))
			return
		}
	}
}

// parse decodes the record at the start of c into en; errShort means c
// ends inside it. d.path becomes the record's path only once the whole
// record was read.
func (d *decoder) parse(c *cursor, en *drift.Entry) {
	shared := c.uvarint()
	if c.err == nil && shared > uint64(len(d.path)) {
		c.err = errors.New("bad path prefix")
	}
	n := c.uvarint()
	if c.err == nil && n > maxPathLen {
		c.err = fmt.Errorf("string of %d bytes", n)
	}
	suffix := c.bytes(n)
	tf := c.bytes(2)
	if c.err != nil {
		return
	}
	path := func() string { return string(d.path[:shared]) + string(suffix) }
	*en = drift.Entry{Type: drift.Type(tf[0]), Exec: tf[1]&flagExec != 0, Implicit: tf[1]&flagImplicit != 0}
	if en.Type == drift.TypeUnknown || en.Type > drift.TypeSocket || tf[1]&^(flagExec|flagImplicit|flagCaps) != 0 {
		c.err = fmt.Errorf("entry %q: bad type or flags", path())
		return
	}
	en.Mode, en.UID, en.GID = c.u32(), c.u32(), c.u32()
	if c.err == nil && en.Mode > 0o7777 {
		c.err = fmt.Errorf("entry %q: bad mode", path())
	}
	switch en.Type {
	case drift.TypeRegular:
		size := c.uvarint()
		if c.err == nil && size > 1<<62 {
			c.err = errors.New("size out of range")
		}
		en.Size, en.Nlink = int64(size), c.u32()
		copy(en.SHA256[:], c.bytes(32))
	case drift.TypeSymlink:
		en.Link = string(c.str(maxAttrLen))
	case drift.TypeCharDevice, drift.TypeBlockDevice:
		en.Major, en.Minor = c.u32(), c.u32()
	}
	if tf[1]&flagCaps != 0 {
		if caps := c.str(maxAttrLen); c.err == nil {
			en.Caps = append([]byte(nil), caps...)
		}
	}
	if c.err != nil {
		return
	}
	d.path = append(d.path[:shared], suffix...)
	en.Path = string(d.path)
}

// errShort: the bytes given end inside the record.
var errShort = errors.New("record cut short")

// cursor reads a record from a byte slice, remembering the first error.
type cursor struct {
	b   []byte
	i   int
	err error
}

func (c *cursor) uvarint() uint64 {
	if c.err != nil {
		return 0
	}
	v, n := binary.Uvarint(c.b[c.i:])
	switch {
	case n > 0:
		c.i += n
		return v
	case n == 0:
		c.err = errShort
	default:
		c.err = errors.New("varint overflows a 64-bit integer")
	}
	return 0
}

// u32 reads a uvarint that must fit 32 bits.
func (c *cursor) u32() uint32 {
	v := c.uvarint()
	if c.err == nil && v > 1<<32-1 {
		c.err = errors.New("value out of range")
	}
	return uint32(v)
}

// bytes returns the next n bytes, still in the buffer.
func (c *cursor) bytes(n uint64) []byte {
	if c.err != nil {
		return nil
	}
	if uint64(len(c.b)-c.i) < n {
		c.err = errShort
		return nil
	}
	b := c.b[c.i : c.i+int(n)]
	c.i += int(n)
	return b
}

// str reads a length-prefixed string of at most max bytes.
func (c *cursor) str(max uint64) []byte {
	n := c.uvarint()
	if c.err == nil && n > max {
		c.err = fmt.Errorf("string of %d bytes", n)
	}
	return c.bytes(n)
}
