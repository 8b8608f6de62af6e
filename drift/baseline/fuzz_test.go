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

// FuzzDecodePayload fuzzes the uncompressed payload parser directly: the
// streaming Reader from the header through the entries to the metadata.
func FuzzDecodePayload(f *testing.F) {
	var buf bytes.Buffer
	e := &encoder{w: bufio.NewWriter(&buf)}
	h := []byte(`{"formatVersion":2}`)
	e.uvarint(uint64(len(h)))
	e.bytes(h)
	s := sample()
	prev := ""
	for i := range s.Entries {
		e.bytes([]byte{tagEntry})
		e.entry(prev, &s.Entries[i])
		prev = s.Entries[i].Path
	}
	m := []byte(`{"packageDB":"dpkg","accounts":{}}`)
	e.bytes([]byte{tagEnd})
	e.uvarint(uint64(len(m)))
	e.bytes(m)
	e.w.Flush()
	f.Add(buf.Bytes())
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := &Reader{}
		if r.readHeader(bytes.NewReader(b)) != nil {
			return
		}
		prev := ""
		for {
			en, err := r.Next()
			if err != nil {
				return
			}
			if en == nil {
				break
			}
			if prev != "" && !drift.Less(prev, en.Path) {
				t.Fatal("accepted entries out of order")
			}
			prev = en.Path
		}
		r.Finish()
	})
}
