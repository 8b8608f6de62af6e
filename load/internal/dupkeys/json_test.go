package dupkeys

import (
	"errors"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data, want string
	}{
		{"distinct", `{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}`, ""},
		{"exact", "{\"actions\":[\"update\"],\n\"actions\":[\"no-op\"]}", `duplicate key "actions" at line 2 (first at line 1)`},
		{"case-folded", `{"change":{"actions":["update"],"Actions":["no-op"]}}`, `duplicate key "Actions" at line 1 (first "actions" at line 1; keys match regardless of case)`},
		{"escaped", `{"op":"update","\u006fp":"same"}`, `duplicate key "op"`},
		{"kelvin sign folds to k", "{\"k\":1,\"\u212a\":2}", `keys match regardless of case`},
		{"key-like values", `{"a":"b","c":"b","d":["a","a"]}`, ""},
		{"nested arrays", `{"a":[[1,2],[3]],"b":[{"x":1,"y":[{"x":2}]}],"x":3}`, ""},
		{"many keys", `{` + manyKeys(40) + `,"k7":0}`, `duplicate key "k7"`},
		{"string with brackets and quotes", `{"a":"}\"{[","a ":1,"b":"\\","b":2}`, `duplicate key "b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check([]byte(tt.data))
			var de *DuplicateError
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("err = %v", err)
			case tt.want != "" && (!errors.As(err, &de) || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func manyKeys(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"k` + string(rune('0'+i%10)) + string(rune('a'+i/10)) + `":0`)
	}
	return strings.ReplaceAll(b.String(), `"k7a"`, `"k7"`)
}
