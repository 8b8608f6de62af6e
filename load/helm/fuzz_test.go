package helm

import (
	"strings"
	"testing"
)

// FuzzSetValues feeds --set strings through the path Load uses; it must
// never panic, hang or allocate without bound.
func FuzzSetValues(f *testing.F) {
	for _, s := range []string{
		"a=1", "a.b.c=x,d[0]=y", "a[999999999]=1", "a[-1]=1", "a[65536]=1",
		"a[0][0][0][0]=1", "a[", "a]=1", `a\.b=1`, "a=b=c", "{a}=1", "a=,b=",
		strings.Repeat("a.", 40) + "b=1", strings.Repeat("[0]", 40) + "=1",
		"name={a,b,c}", "a.b[1].c[2]=x", "=", ",", "\x00=1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		vals, err := userValues(nil, []string{s, s})
		if err == nil && vals == nil {
			t.Fatal("nil values without error")
		}
	})
}

// FuzzValuesSchema feeds values.schema.json documents and values through
// the offline validation: no panic, no fetch, bounded work.
func FuzzValuesSchema(f *testing.F) {
	for _, s := range []string{
		`{"type":"object"}`,
		`{"$ref":"file:///dev/zero"}`,
		`{"$ref":"http://127.0.0.1:1/x"}`,
		`{"$ref":"#"}`,
		`{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}`,
		`{"$id":"http://example.com/s","properties":{"a":{"$ref":"other"}}}`,
		`{"properties":{"a":{"pattern":"(a+)+$"}}}`,
		strings.Repeat(`{"items":`, 300) + `{}` + strings.Repeat(`}`, 300),
	} {
		f.Add(s, "a: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n")
	}
	f.Fuzz(func(t *testing.T, schema, values string) {
		if len(schema) > 1<<16 || len(values) > 1<<12 {
			return
		}
		vals, err := userValues(nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		vals["a"] = values
		if err := validateSchema([]byte(schema), vals); err != nil && strings.Contains(err.Error(), "panic") {
			t.Fatalf("validator panicked: %v", err)
		}
	})
}
