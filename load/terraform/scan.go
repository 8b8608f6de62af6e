package terraform

import (
	"encoding/json"
	"errors"
)

// The document is validated with json.Valid first; these functions then
// walk its top level by hand, so that sections immutcheck does not read
// (planned_values, prior_state) are stepped over without being decoded or
// copied. Hand-written because encoding/json offers no way to skip a value
// in place: Decoder.Token is slow and Decode into json.RawMessage copies.

// member is one top-level key and the byte range of its value.
type member struct {
	key        string
	start, end int
}

// members lists the members of the top-level object of valid JSON.
func members(data []byte) ([]member, error) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, errors.New("decode plan: the document is not a JSON object")
	}
	var out []member
	i = skipSpace(data, i+1)
	for i < len(data) && data[i] != '}' {
		kend := valueEnd(data, i)
		var key string
		if err := json.Unmarshal(data[i:kend], &key); err != nil {
			return nil, err
		}
		i = skipSpace(data, kend)
		i = skipSpace(data, i+1) // ':'
		vend := valueEnd(data, i)
		out = append(out, member{key: key, start: i, end: vend})
		i = skipSpace(data, vend)
		if i < len(data) && data[i] == ',' {
			i = skipSpace(data, i+1)
		}
	}
	return out, nil
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// valueEnd returns the index just past the JSON value starting at i, which
// must be valid.
func valueEnd(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		for j := i + 1; j < len(data); j++ {
			switch data[j] {
			case '\\':
				j++
			case '"':
				return j + 1
			}
		}
		return len(data)
	case '{', '[':
		depth := 0
		for j := i; j < len(data); j++ {
			switch data[j] {
			case '"':
				j = valueEnd(data, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(data)
	default:
		j := i
		for j < len(data) && data[j] != ',' && data[j] != '}' && data[j] != ']' && data[j] != ' ' && data[j] != '\n' && data[j] != '\r' && data[j] != '\t' {
			j++
		}
		return j
	}
}
