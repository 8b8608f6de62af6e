// Package badbyte finds the byte that a YAML or JSON reader refused for
// its encoding (invalid UTF-8, a NUL or another control character), so
// that the problem names its line: the YAML reader reports these without
// a position.
package badbyte

import (
	"bytes"
	"unicode/utf8"
)

// Line returns the 1-based line of the first byte of data that is not
// valid UTF-8 or is a control character YAML does not allow (any C0
// character but tab, line feed and carriage return, DEL, and C1), or 0
// when there is none.
func Line(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if (r == utf8.RuneError && n <= 1) || bad(r) {
			return 1 + bytes.Count(data[:i], []byte("\n"))
		}
		i += n
	}
	return 0
}

func bad(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r':
		return false
	case r < 0x20, r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f && r != 0x85:
		return true
	}
	return false
}

// IsReaderError reports whether a YAML error message is one of those the
// reader gives for a bad byte, without a position.
func IsReaderError(msg string) bool {
	for _, s := range []string{"invalid leading UTF-8 octet", "invalid trailing UTF-8 octet", "incomplete UTF-8 octet sequence", "control characters are not allowed", "invalid Unicode character"} {
		if bytes.Contains([]byte(msg), []byte(s)) {
			return true
		}
	}
	return false
}
