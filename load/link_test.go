package load

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWalkLinks: a link to a manifest inside the scanned paths is loaded,
// one out of them is reported, never skipped silently.
func TestWalkLinks(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	scanned := filepath.Join(base, "scanned")
	outside := filepath.Join(base, "ok")
	for _, d := range []string{scanned, outside, filepath.Join(scanned, "real")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(outside, "deploy.yaml"), "kind: Deployment\n")
	write(filepath.Join(scanned, "real", "cm.yaml"), "kind: ConfigMap\n")
	links := map[string]string{
		"deploy.yaml": "../ok/deploy.yaml",
		"inside.yaml": "real/cm.yaml",
		"broken.yaml": "nowhere.yaml",
		"dir":         "real",
		"outdir":      "../ok",
		"README":      "../ok/deploy.yaml",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(scanned, name)); err != nil {
			t.Skipf("symlink: %v", err)
		}
	}
	got := map[string]string{}
	err := Walk(context.Background(), []string{scanned}, Options{}, func(in Input) error {
		rel, _ := filepath.Rel(scanned, in.Path)
		got[rel] = "load"
		if in.NotFollowed != "" {
			got[rel] = in.NotFollowed
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"deploy.yaml":  "outside the scanned paths",
		"inside.yaml":  "load",
		"broken.yaml":  "resolves to nothing",
		"outdir":       "directory outside the scanned paths",
		"real/cm.yaml": "load",
	}
	for name, w := range want {
		if !strings.Contains(got[name], w) {
			t.Errorf("%s: got %q, want %q", name, got[name], w)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("unexpected input %s: %q", name, got[name])
		}
	}
	f := Load(context.Background(), Input{Path: filepath.Join(scanned, "deploy.yaml"), Named: true, NotFollowed: "symbolic link to a file outside the scanned paths not followed"}, Options{})
	if f == nil || len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Err.Error(), "not followed") {
		t.Fatalf("Load of a link not followed = %+v", f)
	}
}
