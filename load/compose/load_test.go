package compose

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writeTree writes files (path → content; content "->target" makes a
// symbolic link) under a new temporary directory and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(content, "->"); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestSymlinkEscape checks that include, extends and .env cannot reach
// outside the compose file's directory through a symbolic link.
func TestSymlinkEscape(t *testing.T) {
	t.Parallel()
	outside := writeTree(t, map[string]string{
		"base.yaml": "services:\n  leaked:\n    image: secret:1\n",
		".env":      "TAG=secret\n",
	})
	tests := map[string]map[string]string{
		"extends": {
			"compose.yaml": "services:\n  web:\n    extends:\n      file: link.yaml\n      service: leaked\n",
			"link.yaml":    "->" + filepath.Join(outside, "base.yaml"),
		},
		"include": {
			"compose.yaml":  "include:\n  - sub/link.yaml\nservices:\n  web:\n    image: x:1\n",
			"sub/link.yaml": "->" + filepath.Join(outside, "base.yaml"),
		},
		"include through linked dir": {
			"compose.yaml": "include:\n  - sub/base.yaml\nservices:\n  web:\n    image: x:1\n",
			"sub":          "->" + outside,
		},
		".env": {
			"compose.yaml": "services:\n  web:\n    image: x:${TAG}\n",
			".env":         "->" + filepath.Join(outside, ".env"),
		},
	}
	for name, files := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := writeTree(t, files)
			path := filepath.Join(dir, "compose.yaml")
			data, _ := os.ReadFile(path)
			f := Load(path, data)
			if len(f.Problems) != 1 || len(f.Workloads) != 0 {
				t.Fatalf("got problems %v and %d workloads; want one problem", f.Problems, len(f.Workloads))
			}
		})
	}
}

// TestNoProcessEnvironment checks that interpolation never reads the
// environment of the process.
func TestNoProcessEnvironment(t *testing.T) {
	t.Setenv("IMMUTCHECK_TEST_TAG", "from-env")
	f := Load("-", []byte("services:\n  web:\n    image: app:${IMMUTCHECK_TEST_TAG}\n    command: echo $IMMUTCHECK_TEST_TAG\n"))
	if len(f.Problems) != 0 || len(f.Workloads) != 1 {
		t.Fatalf("got problems %v", f.Problems)
	}
	c := f.Workloads[0].Containers[0]
	if c.Image.Ref != "app:${IMMUTCHECK_TEST_TAG}" || c.Image.Err == nil {
		t.Errorf("image = %q (err %v), want it unresolved", c.Image.Ref, c.Image.Err)
	}
	if got := c.Commands[0].Shell; got != "echo $IMMUTCHECK_TEST_TAG" {
		t.Errorf("command = %q, want the variable kept", got)
	}
}

// TestLoadAccepts pins valid inputs around the rejected ones.
func TestLoadAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, path, data string
		services         []string
	}{
		{"anchors and merge keys", "compose.yaml", "x-base: &base\n  image: busybox:1\n  read_only: true\nservices:\n  a:\n    <<: *base\n  b: *base\n", []string{"a", "b"}},
		{"JSON", "compose.json", `{"services": {"web": {"image": "nginx:1"}}}`, []string{"web"}},
		{"two documents", "compose.yaml", "services:\n  a:\n    image: x:1\n---\nservices:\n  b:\n    image: y:1\n", []string{"a", "b"}},
		{"standard input", "-", "services:\n  web:\n    image: x:1\n", []string{"web"}},
		{"profiles", "compose.yaml", "services:\n  a:\n    image: x:1\n    profiles: [debug]\n", []string{"a"}},
		{"unset variable in port", "compose.yaml", "services:\n  a:\n    image: x:${TAG}\n    ports: [\"${PORT:-80}:80\"]\n", []string{"a"}},
		{"CRLF", "compose.yaml", "services:\r\n  a:\r\n    image: x:1\r\n", []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := Load(tt.path, []byte(tt.data))
			if len(f.Problems) != 0 {
				t.Fatalf("got problems %v", f.Problems)
			}
			var got []string
			for _, w := range f.Workloads {
				got = append(got, w.Name)
				if w.Location.Line == 0 {
					t.Errorf("service %s has no line", w.Name)
				}
			}
			if d := cmp.Diff(tt.services, got); d != "" {
				t.Errorf("services (-want +got):\n%s", d)
			}
		})
	}
}

func TestPublishes(t *testing.T) {
	t.Parallel()
	for published, want := range map[string]bool{"22": true, "2222": false, "20-30": true, "23-30": false, "": false, "x-22": false, "1-x": false} {
		if got := publishes(published, 22); got != want {
			t.Errorf("publishes(%q, 22) = %v, want %v", published, got, want)
		}
	}
}

func TestParseIgnore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		comment string
		rules   []string
		reason  string
		ok      bool
	}{
		{" immutcheck:ignore a b c", []string{"a"}, "b c", true},
		{" immutcheck:ignore a, b  reason ", []string{"a", "b"}, "reason", true},
		{" immutcheck:ignore", nil, "", true},
		{" immutcheck:ignored a b", nil, "", false},
		{" plain comment", nil, "", false},
	}
	for _, tt := range tests {
		rules, reason, ok := parseIgnore(tt.comment)
		if ok != tt.ok || reason != tt.reason || !cmp.Equal(rules, tt.rules) {
			t.Errorf("parseIgnore(%q) = %q, %q, %v; want %q, %q, %v", tt.comment, rules, reason, ok, tt.rules, tt.reason, tt.ok)
		}
	}
}
