package helm

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// TestBounds covers RELIABILITY.md §5 cases 14-17: oversized files and
// archives, unsafe names, links out of the chart.
func TestBounds(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", MaxFileBytes+1)
	tests := []struct {
		name    string
		files   map[string]string
		setup   func(t *testing.T, dir string)
		errText string
	}{
		{name: "file over 5 MiB", files: map[string]string{"Chart.yaml": minimalChart, "files/big.txt": big},
			errText: "files/big.txt: file is larger than the limit"},
		{name: "subchart archive inflating over 100 MiB", files: map[string]string{"Chart.yaml": minimalChart},
			setup: func(t *testing.T, dir string) {
				files := map[string]string{"bomb/Chart.yaml": strings.Replace(minimalChart, "name: c", "name: bomb", 1)}
				chunk := strings.Repeat("\x00", MaxFileBytes-1024)
				for i := range 21 {
					files["bomb/files/"+string(rune('a'+i))] = chunk
				}
				writeFile(t, dir, "charts/bomb-0.1.0.tgz", tgz(t, files))
			},
			errText: "chart is larger than the limit of 104857600 bytes"},
		{name: "archive nested in archive", files: map[string]string{"Chart.yaml": minimalChart},
			setup: func(t *testing.T, dir string) {
				inner := map[string]string{"in/Chart.yaml": strings.Replace(minimalChart, "name: c", "name: in", 1)}
				chunk := strings.Repeat("\x00", MaxFileBytes-1024)
				for i := range 21 {
					inner["in/files/"+string(rune('a'+i))] = chunk
				}
				outer := tgz(t, map[string]string{
					"out/Chart.yaml":          strings.Replace(minimalChart, "name: c", "name: out", 1),
					"out/charts/in-0.1.0.tgz": string(tgz(t, inner)),
				})
				writeFile(t, dir, "charts/out-0.1.0.tgz", outer)
			},
			errText: "chart is larger than the limit"},
		{name: "archive file over 5 MiB", files: map[string]string{"Chart.yaml": minimalChart},
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "charts/s-0.1.0.tgz", tgz(t, map[string]string{"s/Chart.yaml": minimalChart, "s/big": big}))
			},
			errText: "larger than the maximum file size"},
		{name: "archive entry escaping", files: map[string]string{"Chart.yaml": minimalChart},
			setup: func(t *testing.T, dir string) {
				writeFile(t, dir, "charts/s-0.1.0.tgz", tgz(t, map[string]string{"s/Chart.yaml": minimalChart, "s/../../x": "x"}))
			},
			errText: "parent directory"},
		{name: "chart name ..", files: map[string]string{"Chart.yaml": "apiVersion: v2\nname: ..\nversion: 0.1.0\n"}, errText: "not allowed"},
		{name: "chart name .", files: map[string]string{"Chart.yaml": "apiVersion: v2\nname: .\nversion: 0.1.0\n"}, errText: "not allowed"},
		{name: "chart name with slash", files: map[string]string{"Chart.yaml": "apiVersion: v2\nname: a/b\nversion: 0.1.0\n"}, errText: "invalid"},
		{name: "chart name with backslash", files: map[string]string{"Chart.yaml": "apiVersion: v2\nname: a\\\\b\nversion: 0.1.0\n"}, errText: "not allowed"},
		{name: "subchart name ..", files: map[string]string{"Chart.yaml": minimalChart, "charts/x/Chart.yaml": "apiVersion: v2\nname: ..\nversion: 0.1.0\n"}, errText: "not allowed"},
		{name: "template linked out of the chart", files: map[string]string{"Chart.yaml": minimalChart},
			setup: func(t *testing.T, dir string) {
				secret := filepath.Join(t.TempDir(), "token")
				writeFile(t, filepath.Dir(secret), "token", []byte("apiVersion: v1\nkind: Secret\ndata: {t: c2VjcmV0}\n"))
				symlink(t, secret, filepath.Join(dir, "templates", "x.yaml"))
			},
			errText: "templates/x.yaml: symbolic link not followed"},
		{name: "Chart.lock linked to /etc", files: map[string]string{"Chart.yaml": minimalChart},
			setup: func(t *testing.T, dir string) {
				symlink(t, "/etc/passwd", filepath.Join(dir, "Chart.lock"))
			},
			errText: "Chart.lock: symbolic link not followed"},
		{name: "directory link", files: map[string]string{"Chart.yaml": minimalChart, "real/a.yaml": configMap},
			setup: func(t *testing.T, dir string) {
				symlink(t, "../real", filepath.Join(dir, "templates", "linked"))
			},
			errText: "symbolic link to a directory not followed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeChart(t, tt.files)
			if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
				t.Fatal(err)
			}
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			_, _, err := render(t.Context(), dir, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.errText) {
				t.Fatalf("err = %v, want %q", err, tt.errText)
			}
			if strings.Contains(err.Error(), "c2VjcmV0") || strings.Contains(err.Error(), "root:") {
				t.Errorf("error echoes file contents: %v", err)
			}
		})
	}
}

func TestLinkInsideChartFollowed(t *testing.T) {
	t.Parallel()
	dir := writeChart(t, map[string]string{"Chart.yaml": minimalChart, "shared/cm.yaml": configMap, "templates/.keep": ""})
	symlink(t, "../shared/cm.yaml", filepath.Join(dir, "templates", "cm.yaml"))
	got, err := renderedPaths(t, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if out := got[filepath.ToSlash(filepath.Join(dir, "templates", "cm.yaml"))]; out != configMap {
		t.Errorf("rendered %v", got)
	}
}

func TestSubchartArchive(t *testing.T) {
	t.Parallel()
	dir := writeChart(t, map[string]string{
		"Chart.yaml":  minimalChart + "dependencies:\n  - name: packed\n    version: 0.2.0\n",
		"values.yaml": "packed:\n  image: example/packed:9\n",
	})
	writeFile(t, dir, "charts/packed-0.2.0.tgz", tgz(t, map[string]string{
		"packed/Chart.yaml":          "apiVersion: v2\nname: packed\nversion: 0.2.0\n",
		"packed/templates/pod.yaml":  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: {{ .Values.image }}\n",
		"packed/templates/NOTES.txt": "hi",
	}))
	got, err := renderedPaths(t, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.ToSlash(filepath.Join(dir, "charts", "packed-0.2.0.tgz", "templates", "pod.yaml"))
	if !strings.Contains(got[want], "image: example/packed:9") || len(got) != 1 {
		t.Errorf("rendered %v, want %s", got, want)
	}
}

// TestSchema covers RELIABILITY.md §5 case 17: values.schema.json is
// checked, but nothing it references outside itself is read or fetched.
func TestSchema(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte(`{"type":"object"}`))
	}))
	t.Cleanup(srv.Close)
	deep := strings.Repeat(`{"items":`, 10000) + `{}` + strings.Repeat(`}`, 10000)
	chain := func(n int) string {
		var b strings.Builder
		b.WriteString(`{"$ref":"#/$defs/d0","$defs":{`)
		for i := range n {
			b.WriteString(`"d` + strconv.Itoa(i) + `":{"$ref":"#/$defs/d` + strconv.Itoa(i+1) + `"},`)
		}
		b.WriteString(`"d` + strconv.Itoa(n) + `":{"type":"object"}}}`)
		return b.String()
	}
	tests := []struct {
		name, schema, errText string
	}{
		{name: "valid", schema: `{"type":"object","properties":{"replicas":{"type":"integer"}}}`},
		{name: "violated", schema: `{"type":"object","properties":{"replicas":{"type":"string"}}}`, errText: "values do not match values.schema.json: at '/replicas': got number, want string"},
		{name: "pattern does not echo the value", schema: `{"properties":{"password":{"type":"string","pattern":"^x"}}}`, errText: "at '/password': does not match pattern ^x"},
		{name: "file ref", schema: `{"$ref":"file:///etc/passwd"}`, errText: "external schema reference not fetched"},
		{name: "dev zero", schema: `{"$ref":"file:///dev/zero"}`, errText: "external schema reference not fetched"},
		{name: "relative ref", schema: `{"properties":{"a":{"$ref":"other.json"}}}`, errText: "external schema reference not fetched"},
		{name: "http ref", schema: `{"$ref":"` + srv.URL + `/s.json"}`, errText: "external schema reference not fetched"},
		{name: "urn ref", schema: `{"$ref":"urn:example:x"}`, errText: "external schema reference not fetched"},
		{name: "deep nesting", schema: deep, errText: "nested deeper than"},
		{name: "local ref chain", schema: chain(maxSchemaRefs - 1)},
		{name: "10k local ref chain", schema: chain(10000), errText: "more than 2000 references"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeChart(t, map[string]string{
				"Chart.yaml": minimalChart, "values.yaml": "replicas: 1\npassword: hunter2\n",
				"values.schema.json": tt.schema, "templates/cm.yaml": configMap,
			})
			f := Load(t.Context(), dir, Options{})
			if tt.errText == "" {
				if len(f.Problems) != 0 {
					t.Fatalf("problems: %v", f.Problems)
				}
				return
			}
			if len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Err.Error(), tt.errText) {
				t.Fatalf("problems = %v, want %q", f.Problems, tt.errText)
			}
			if strings.Contains(f.Problems[0].Err.Error(), "hunter2") {
				t.Errorf("problem echoes a value: %v", f.Problems[0].Err)
			}
			if want := filepath.Join(dir, "values.schema.json"); f.Problems[0].Location.File != want {
				t.Errorf("location = %v, want %s", f.Problems[0].Location, want)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("schema URL fetched %d times", n)
	}
}

// TestSetIndexAllocation covers RELIABILITY.md §5 case 20: a huge list
// index in --set fails without a huge allocation.
func TestSetIndexAllocation(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := userValues(nil, []string{"a[999999999]=1"})
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("huge index accepted")
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 8<<20 {
		t.Errorf("allocated %d bytes", d)
	}
	if _, err := userValues(nil, []string{strings.Repeat("x", maxSetBytes+1) + "=1"}); err == nil {
		t.Error("oversized --set accepted")
	}
}

func writeFile(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symbolic links unavailable: %v", err)
	}
}

func TestArchiveDirectoryCollision(t *testing.T) {
	t.Parallel()
	sub := "apiVersion: v2\nname: s\nversion: 0.1.0\n"
	dir := writeChart(t, map[string]string{"Chart.yaml": minimalChart, "charts/s/Chart.yaml": sub})
	writeFile(t, dir, "charts/s.tgz", tgz(t, map[string]string{"s/Chart.yaml": sub}))
	if _, _, err := render(t.Context(), dir, Options{}); err == nil || !strings.Contains(err.Error(), "both present") {
		t.Errorf("err = %v, want both present", err)
	}
	nested := writeChart(t, map[string]string{"Chart.yaml": minimalChart})
	writeFile(t, nested, "charts/a.tgz", tgz(t, map[string]string{
		"a/Chart.yaml": strings.Replace(sub, "name: s", "name: a", 1), "a/charts/s/Chart.yaml": sub,
		"a/charts/s.tgz": string(tgz(t, map[string]string{"s/Chart.yaml": sub})),
	}))
	if _, _, err := render(t.Context(), nested, Options{}); err == nil || !strings.Contains(err.Error(), "both present") {
		t.Errorf("nested: err = %v, want both present", err)
	}
}
