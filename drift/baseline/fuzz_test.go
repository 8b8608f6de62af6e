package baseline

import (
	"bufio"
	"bytes"
	"testing"
	"time"

	"github.com/immutcheck/immutcheck/drift"
)

// FuzzDecode: no input makes Decode panic, hang or allocate without bound.
// Nearly every mutation fails the checksum; FuzzDecodePayload reaches the
// parser behind it.
func FuzzDecode(f *testing.F) {
	var buf bytes.Buffer
	Encode(&buf, Header{Generation: 1, Created: time.Unix(0, 0)}, sample())
	f.Add(buf.Bytes())
	f.Add([]byte("ICBASE\x00\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, s, err := Decode(b)
		if err == nil && (s == nil || h.FormatVersion != FormatVersion) {
			t.Fatal("accepted without a snapshot")
		}
	})
}

// FuzzDecodePayload fuzzes the uncompressed payload parser directly.
func FuzzDecodePayload(f *testing.F) {
	var buf bytes.Buffer
	e := &encoder{w: bufio.NewWriter(&buf)}
	m := []byte(`{"header":{"formatVersion":1},"accounts":{}}`)
	e.uvarint(uint64(len(m)))
	e.bytes(m)
	s := sample()
	e.uvarint(uint64(len(s.Entries)))
	prev := ""
	for i := range s.Entries {
		e.entry(prev, &s.Entries[i])
		prev = s.Entries[i].Path
	}
	e.w.Flush()
	f.Add(buf.Bytes())
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, s, err := decodePayload(bufio.NewReader(bytes.NewReader(b)))
		if err == nil {
			for i := 1; i < len(s.Entries); i++ {
				if !drift.Less(s.Entries[i-1].Path, s.Entries[i].Path) {
					t.Fatal("accepted entries out of order")
				}
			}
		}
	})
}
