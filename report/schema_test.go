package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Schemas are compiled once per test binary; compiling the SARIF schema
// takes a few milliseconds and the fuzz target validates on every input.
var (
	sarifSchemaOnce = sync.OnceValues(func() (*jsonschema.Schema, error) {
		return compileSchema(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	})
	jsonSchemaOnce = sync.OnceValues(func() (*jsonschema.Schema, error) {
		return compileSchema(filepath.Join("..", "docs", "immutcheck-report.schema.json"))
	})
)

// compileSchema compiles the schema file at path with format assertions on
// (uri, uri-reference, ...), so that a malformed URI fails validation.
func compileSchema(path string) (*jsonschema.Schema, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	url := "file:///" + filepath.Base(path)
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
}

// validate checks out against the schema returned by get.
func validate(t testing.TB, get func() (*jsonschema.Schema, error), out []byte) {
	t.Helper()
	if err := schemaErr(get, out); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}

// schemaErr returns why out does not validate against the schema, or nil.
func schemaErr(get func() (*jsonschema.Schema, error), out []byte) error {
	sch, err := get()
	if err != nil {
		return fmt.Errorf("compile schema: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		return fmt.Errorf("output is not JSON: %w", err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("output does not validate: %w", err)
	}
	return nil
}

// TestSchemasReject shows that the schemas catch what they should, so that
// a passing validation means something.
func TestSchemasReject(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		schema func() (*jsonschema.Schema, error)
		format Format
		edit   func(doc map[string]any)
	}{
		{"sarif region line 0", sarifSchemaOnce, SARIF, func(d map[string]any) {
			loc := dig(d, "runs", 0, "results", 0, "locations", 0, "physicalLocation").(map[string]any)
			loc["region"] = map[string]any{"startLine": 0}
		}},
		{"sarif unknown level", sarifSchemaOnce, SARIF, func(d map[string]any) {
			dig(d, "runs", 0, "results", 0).(map[string]any)["level"] = "fatal"
		}},
		{"sarif bad uri", sarifSchemaOnce, SARIF, func(d map[string]any) {
			dig(d, "runs", 0, "results", 0, "locations", 0, "physicalLocation", "artifactLocation").(map[string]any)["uri"] = "a b\\c"
		}},
		{"sarif suppression kind", sarifSchemaOnce, SARIF, func(d map[string]any) {
			dig(d, "runs", 0, "results", 0).(map[string]any)["suppressions"] = []any{map[string]any{"kind": "inComment"}}
		}},
		{"json unknown severity", jsonSchemaOnce, JSON, func(d map[string]any) {
			dig(d, "findings", 0).(map[string]any)["severity"] = "severe"
		}},
		{"json justification without suppression", jsonSchemaOnce, JSON, func(d map[string]any) {
			dig(d, "findings", 0).(map[string]any)["justification"] = "why"
		}},
		{"json undocumented field", jsonSchemaOnce, JSON, func(d map[string]any) {
			dig(d, "findings", 0).(map[string]any)["extra"] = 1
		}},
		{"json version 2", jsonSchemaOnce, JSON, func(d map[string]any) { d["version"] = 2 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := Write(&b, tt.format, fixtureReport(), Options{}); err != nil {
				t.Fatal(err)
			}
			validate(t, tt.schema, b.Bytes())
			var doc map[string]any
			if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			tt.edit(doc)
			edited, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			if schemaErr(tt.schema, edited) == nil {
				t.Errorf("schema accepts a document with %s", tt.name)
			}
		})
	}
}

// dig follows object keys and array indexes into a decoded JSON document.
func dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v
}
