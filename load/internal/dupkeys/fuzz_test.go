package dupkeys

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// FuzzCheck compares Check with a reference built on encoding/json's
// tokenizer: for valid JSON both find a duplicate, or neither.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		`{"a":1,"A":2}`, `{"a":{"b":[{"c":1,"c":2}]}}`, `[{"a":"\"a\"","a\u0022":1}]`,
		`{"k":1,"\u212a":2}`, `{"a":[1,{"a":2}],"b":"}"}`, `{}`, `[[],{}]`, `"a"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		want := reference(data)
		err := Check(data)
		var de *DuplicateError
		if err != nil && !errors.As(err, &de) {
			t.Fatalf("Check: %v", err)
		}
		if (err != nil) != want {
			t.Fatalf("Check = %v, reference found a duplicate: %v", err, want)
		}
	})
}

// reference reports whether an object of data names a key twice, case
// folded with bytes.EqualFold.
func reference(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		obj     bool
		keys    [][]byte
		wantKey bool
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				if top != nil && top.obj {
					top.wantKey = true
				}
				stack = append(stack, &frame{obj: v == '{', wantKey: v == '{'})
				continue
			default:
				stack = stack[:len(stack)-1]
				if len(stack) > 0 && stack[len(stack)-1].obj {
					stack[len(stack)-1].wantKey = true
				}
				continue
			}
		case string:
			if top != nil && top.obj && top.wantKey {
				for _, k := range top.keys {
					if bytes.EqualFold(k, []byte(v)) {
						return true
					}
				}
				top.keys = append(top.keys, []byte(v))
				top.wantKey = false
				continue
			}
		}
		if top != nil && top.obj {
			top.wantKey = true
		}
	}
}
