package terraform

// MaxDepth is the deepest nesting of arrays and objects accepted, the limit
// encoding/json applies to Unmarshal.
const MaxDepth = 10000

// depthExceeded reports whether the JSON text nests arrays and objects more
// than max levels deep, and the byte offset where it does. Hand-written
// because the streaming json.Decoder.Token API applies no depth limit; it is
// one pass over the bytes without allocation. Brackets inside strings are
// skipped.
func depthExceeded(data []byte, max int) (int, bool) {
	depth := 0
	inString, escaped := false, false
	for i, c := range data {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			if depth > max {
				return i, true
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return 0, false
}
