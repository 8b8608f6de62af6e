package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// TestJSONValidates checks the output against the published contract,
// docs/immutcheck-report.schema.json.
func TestJSONValidates(t *testing.T) {
	t.Parallel()
	for name, r := range reports() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := Write(&b, JSON, r, Options{}); err != nil {
				t.Fatal(err)
			}
			validate(t, jsonSchemaOnce, b.Bytes())
			if !strings.HasSuffix(b.String(), "}\n") || !strings.HasPrefix(b.String(), "{\n  \"version\": 1,\n") {
				t.Errorf("want 2-space indent, version first and a trailing newline:\n%s", b.String())
			}
		})
	}
}

func TestJSONEmptyFindingsIsArray(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := Write(&b, JSON, reports()["empty"], Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"findings": []`) {
		t.Errorf("empty findings must be [], got:\n%s", b.String())
	}
}

// TestJSONHostile decodes the output of hostile strings: valid UTF-8 comes
// back unchanged, invalid UTF-8 as U+FFFD, and raw control bytes never
// appear in the document.
func TestJSONHostile(t *testing.T) {
	t.Parallel()
	r := hostileReport()
	var b bytes.Buffer
	if err := Write(&b, JSON, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(b.Bytes()) || !utf8.Valid(b.Bytes()) {
		t.Fatalf("not valid JSON / UTF-8:\n%q", b.String())
	}
	for _, c := range b.Bytes() {
		if c < 0x20 && c != '\n' {
			t.Fatalf("raw control byte %#x in JSON output", c)
		}
	}
	var doc jsonReport
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Findings) != len(r.Findings) {
		t.Fatalf("got %d findings, want %d", len(doc.Findings), len(r.Findings))
	}
	for i, f := range r.Findings {
		got := doc.Findings[i]
		want := []string{strings.ToValidUTF8(f.Subject, "\ufffd"), strings.ToValidUTF8(f.Message, "\ufffd"), strings.ToValidUTF8(f.Location.File, "\ufffd")}
		// encoding/json replaces each invalid byte, ToValidUTF8 each run of
		// them; compare after collapsing runs.
		have := []string{got.Subject, got.Message, got.Location.File}
		for j := range have {
			have[j] = collapse(have[j])
		}
		if diff := cmp.Diff(want, have); diff != "" {
			t.Errorf("finding %d round trip (-want +got):\n%s", i, diff)
		}
		if f.Suppressed != (got.Justification != nil) {
			t.Errorf("finding %d: justification present = %v, suppressed = %v", i, got.Justification != nil, f.Suppressed)
		}
	}
}

// collapse turns runs of U+FFFD into one.
func collapse(s string) string {
	for strings.Contains(s, "\ufffd\ufffd") {
		s = strings.ReplaceAll(s, "\ufffd\ufffd", "\ufffd")
	}
	return s
}

// TestJSONDocExample keeps the example of docs/json-output.md valid.
func TestJSONDocExample(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join("..", "docs", "json-output.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "```json\n")
	example, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("docs/json-output.md has no ```json example")
	}
	validate(t, jsonSchemaOnce, []byte(example))
}
