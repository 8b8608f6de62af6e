package terraform

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/model"
)

// FuzzLoad feeds arbitrary bytes to the plan loader: it must never panic,
// and a document it rejects must yield no changes.
func FuzzLoad(f *testing.F) {
	update := `{"actions":["update"],"before":{"a":9007199254740993},"after":{"a":9007199254740992},"before_sensitive":{"s":true}}`
	for _, seed := range []string{
		minimalPlan("1.2", update),
		minimalPlan("2.0", update),
		minimalPlan("1.2", update) + " {}",
		minimalPlan("1.2", `{"actions":["delete","create"],"replace_paths":[["a",0,"b"]],"after_unknown":{"a":[true]}}`),
		strings.Repeat("[", 200) + strings.Repeat("]", 200),
		`{"format_version":"1.0","configuration":{"root_module":{"module_calls":{"m":{"module":{"resources":[{"address":"x.y","provisioners":[{"type":"remote-exec","expressions":{"inline":{"constant_value":["a"]}}}]}]}}}}}}`,
		``, `{`, `null`,
	} {
		f.Add([]byte(seed))
	}
	for _, dir := range []string{"testdata", filepath.Join("..", "..", "examples", "bad", "terraform-plan")} {
		if files, err := filepath.Glob(filepath.Join(dir, "*.json")); err == nil {
			for _, p := range files {
				if data, err := os.ReadFile(p); err == nil {
					f.Add(data)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file := Load("fuzz.json", data)
		for _, p := range file.Problems {
			if p.Kind == model.Rejected && (len(file.Changes) != 0 || len(file.Resources) != 0) {
				t.Fatalf("rejected plan yields %d changes", len(file.Changes))
			}
		}
	})
}

// FuzzMembers checks the hand-written top-level walk against
// encoding/json: on any valid JSON object both find the same keys, and
// each value range holds exactly the value encoding/json decodes.
func FuzzMembers(f *testing.F) {
	for _, s := range []string{
		`{"a":1,"b":[1,{"c":"]}"}],"d\"e":"x\\","f":{}}`,
		` { "format_version" : "1.2" , "resource_changes" : [ ] } `,
		`{"a":"\u005d","b":true,"c":null,"d":-1.5e3}`, `{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want map[string]json.RawMessage
		// encoding/json decodes null into a nil map: not an object, which
		// members rightly refuses.
		if !json.Valid(data) || json.Unmarshal(data, &want) != nil || want == nil {
			return
		}
		ms, err := members(data)
		if err != nil {
			t.Fatalf("members: %v", err)
		}
		got := map[string]json.RawMessage{}
		for _, m := range ms {
			got[m.key] = data[m.start:m.end]
		}
		if len(got) != len(want) {
			t.Fatalf("keys %d, encoding/json %d", len(got), len(want))
		}
		for k, v := range want {
			if !bytes.Equal(bytes.TrimSpace(got[k]), bytes.TrimSpace(v)) {
				t.Fatalf("key %q: value %q, encoding/json %q", k, got[k], v)
			}
		}
	})
}
