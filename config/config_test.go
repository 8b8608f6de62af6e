package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReadStrict(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name, content, wantErr string
	}{
		{"ok", "fail-on: medium\nallowed-registries: [ghcr.io/acme]\nrules:\n  disable: [ssh-access]\ndrift:\n  ignore: [/srv/cache]\n  include: [/etc/hosts]\n", ""},
		{"unknown drift key", "drift:\n  ignored: [/srv]\n", "unknown field"},
		{"unknown key", "fail_on: medium\n", "unknown field"},
		{"duplicate key", "fail-on: low\nfail-on: high\n", "already set"},
		{"wrong type", "exclude: vendor\n", "cannot unmarshal"},
		{"negative limit", "limits:\n  max-documents: -1\n", "negative"},
	}
	for _, tt := range tests {
		p := write(t, dir, tt.name+".yaml", tt.content)
		c, err := Read(p)
		if tt.wantErr == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			} else if c.Dir != dir {
				t.Errorf("%s: Dir = %q, want %q", tt.name, c.Dir, dir)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.wantErr)
		}
		if err != nil && !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %q does not name the file", tt.name, err)
		}
	}
}

func TestFindUpward(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	want := write(t, dir, FileName, "fail-on: low\n")
	write(t, dir, "a/b/deploy.yaml", "kind: Pod\n")
	got, err := Find(filepath.Join(dir, "a", "b", "deploy.yaml"))
	if err != nil || got != want {
		t.Fatalf("Find = %q, %v; want %q", got, err, want)
	}
}

func TestExcluder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := &Config{Dir: dir, Exclude: []string{"vendor/**", "*.tmpl.yaml"}}
	ex, err := c.Excluder(nil)
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{
		filepath.Join(dir, "vendor", "x", "d.yaml"): true,
		filepath.Join(dir, "app", "a.tmpl.yaml"):    true,
		filepath.Join(dir, "app", "deploy.yaml"):    false,
		filepath.Join(dir, "vendorx", "d.yaml"):     false,
	} {
		if got := ex(filepath.ToSlash(path)); got != want {
			t.Errorf("exclude(%s) = %v, want %v", path, got, want)
		}
	}
	if _, err := (&Config{Exclude: []string{"[bad"}}).Excluder(nil); err == nil {
		t.Error("bad pattern accepted")
	}
}
