package report

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// visible returns s with everything that could move the cursor, end a
// line, recolour the terminal or reorder text replaced by a visible escape:
// control characters (C0, DEL, C1) as \n, \r, \t or \xNN / \u00NN, Unicode
// line and paragraph separators and bidirectional controls as \uNNNN, and
// bytes that are not UTF-8 as \xNN. Text and JUnit output use it on every
// string that comes from a checked file.
//
// Backslashes are left alone: messages already quote strings Go-style
// ("a\nb"), and doubling every backslash would make them unreadable. The
// guarantee is that one string renders on one line and changes nothing
// around it, not that it round-trips.
//
// Written by hand: strconv.Quote would also escape quotes and non-ASCII
// letters that people need to read, and no library does exactly this.
func visible(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// needsEscape reports whether visible would change s.
func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafeRune(r) {
			return true
		}
		i += size
	}
	return false
}

// unsafeRune reports whether r must not reach a terminal or a line-based
// reader as is.
func unsafeRune(r rune) bool {
	switch {
	case unicode.IsControl(r): // C0, DEL and C1 (incl. NEL, CSI)
		return true
	case r == '\u2028', r == '\u2029': // line and paragraph separators
		return true
	case r == '\u061c', r == '\u200e', r == '\u200f',
		r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		// bidirectional controls ("Trojan Source", CVE-2021-42574)
		return true
	case r == '\ufeff', r == '\ufffe', r == '\uffff':
		// zero-width no-break space and the two noncharacters XML forbids
		return true
	}
	return false
}
