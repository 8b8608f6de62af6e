package kustomize

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/immutcheck/immutcheck/model"
)

func TestObjects(t *testing.T) {
	t.Parallel()
	type obj struct{ File, ID string }
	tests := []struct {
		dir  string
		want []obj
		// has maps an object ID to substrings of its text.
		has map[string][]string
		// line maps an object ID to the line where "kind:" must be.
		line map[string]int
	}{
		{
			dir: "testdata/base",
			want: []obj{
				{"testdata/base/app.yaml", "ConfigMap.v1.[noGrp]/web-config.[noNs]"},
				{"testdata/base/app.yaml", "Deployment.v1.apps/web.[noNs]"},
			},
			has:  map[string][]string{"Deployment.v1.apps/web.[noNs]": {"image: registry.example/web:1.0"}},
			line: map[string]int{"ConfigMap.v1.[noGrp]/web-config.[noNs]": 3, "Deployment.v1.apps/web.[noNs]": 10},
		},
		{
			dir: "testdata/overlay",
			want: []obj{
				{"testdata/base/app.yaml", "ConfigMap.v1.[noGrp]/prod-web-config.[noNs]"},
				{"testdata/base/app.yaml", "Deployment.v1.apps/prod-web.[noNs]"},
				{"testdata/overlay/kustomization.yaml", "ConfigMap.v1.[noGrp]/prod-extra-2dkkm5h7k5.[noNs]"},
			},
			has: map[string][]string{"Deployment.v1.apps/prod-web.[noNs]": {"image: registry.example/web:2.0", "path: /var/lib/web"}},
			// The name prefix does not lose the declaring document.
			line: map[string]int{"Deployment.v1.apps/prod-web.[noNs]": 10},
		},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			t.Parallel()
			objs, err := objects(t.Context(), tt.dir)
			if err != nil {
				t.Fatal(err)
			}
			var got []obj
			for _, o := range objs {
				if o.Err != nil {
					t.Errorf("%s: %v", o.ID, o.Err)
				}
				got = append(got, obj{filepath.ToSlash(o.File), o.ID})
				if strings.Contains(o.Text, "config.kubernetes.io/origin") {
					t.Errorf("%s: origin annotation not stripped:\n%s", o.ID, o.Text)
				}
				for _, s := range tt.has[o.ID] {
					if !strings.Contains(o.Text, s) {
						t.Errorf("%s lacks %q:\n%s", o.ID, s, o.Text)
					}
				}
				if want, ok := tt.line[o.ID]; ok {
					if n := lineOf(o.Text, "kind:"); n != want {
						t.Errorf("%s: kind at line %d, want %d", o.ID, n, want)
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("objects (-want +got):\n%s", diff)
			}
		})
	}
}

func lineOf(text, prefix string) int {
	for i, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return i + 1
		}
	}
	return 0
}

// TestLoadOverlay checks the decoded workloads: the overlay's image
// transformer and patch show up, located in the base file.
func TestLoadOverlay(t *testing.T) {
	t.Parallel()
	f := Load(t.Context(), "testdata/overlay", Options{})
	if f.Format != "kustomize" || f.Path != "testdata/overlay" {
		t.Errorf("file = %q %q", f.Path, f.Format)
	}
	if len(f.Problems) != 0 {
		t.Fatalf("problems: %v", f.Problems)
	}
	if len(f.Workloads) != 1 {
		t.Fatalf("workloads = %d, want 1", len(f.Workloads))
	}
	w := f.Workloads[0]
	base := filepath.Join("testdata", "base", "app.yaml")
	if w.Subject() != "Deployment/prod-web" || w.Location.File != base || w.Location.Line != 9 {
		t.Errorf("workload %s at %v", w.Subject(), w.Location)
	}
	if len(w.Containers) != 1 {
		t.Fatalf("containers = %d", len(w.Containers))
	}
	img := w.Containers[0].Image
	if img.Ref != "registry.example/web:2.0" || img.Location.File != base || img.Location.Line != 24 {
		t.Errorf("image %q at %v, want registry.example/web:2.0 at %s:24", img.Ref, img.Location, base)
	}
	if len(w.HostPaths) != 1 || w.HostPaths[0].Path != "/var/lib/web" {
		t.Errorf("host paths = %+v", w.HostPaths)
	}
}

func TestLoadProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		dir  string
		want []model.Location
		errs []string
	}{
		{name: "remote resources, also in bases", dir: "testdata/remote",
			want: []model.Location{
				{File: "testdata/remote/kustomization.yaml", Line: 2},
				{File: "testdata/remote/kustomization.yaml", Line: 3},
				{File: "testdata/remotebase/local/kustomization.yaml", Line: 2},
				{File: "testdata/remotebase/kustomization.yaml", Line: 4},
				{File: "testdata/remotebase/gen/kustomization.yaml", Line: 2},
			},
			errs: []string{
				`remote resource "github.com/example/repo//deploy?ref=v1.0.0" not fetched`,
				`remote resource "https://user:xxxxx@example.com/manifests/app.yaml" not fetched`,
				`remote resource "ssh://git@example.com/org/repo.git" not fetched`,
				`remote resource "git@gitlab.example:team/components.git" not fetched`,
				`remote resource "https://example.com/gen.yaml" not fetched`,
			}},
		{name: "malformed kustomization", dir: "testdata/broken",
			want: []model.Location{{File: "testdata/broken/kustomization.yaml", Line: 3}}, errs: []string{"invalid Kustomization"}},
		{name: "malformed resource: no kustomization line", dir: "testdata/badresource",
			want: []model.Location{{File: "testdata/badresource/kustomization.yaml"}}, errs: []string{"app.yaml"}},
		{name: "missing resource", dir: "testdata/missing",
			want: []model.Location{{File: "testdata/missing/kustomization.yaml"}}, errs: []string{"nothere.yaml"}},
		{name: "helm chart", dir: "testdata/helm",
			want: []model.Location{{File: "testdata/helm/kustomization.yaml", Line: 1}}, errs: []string{"helmCharts not inflated"}},
		{name: "no kustomization", dir: "testdata/none",
			want: []model.Location{{File: "testdata/none"}}, errs: []string{"kustomize build"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := Load(t.Context(), tt.dir, Options{})
			var locs []model.Location
			for i, p := range f.Problems {
				if p.Kind != model.Rejected {
					t.Errorf("problem %d kind = %v", i, p.Kind)
				}
				locs = append(locs, model.Location{File: filepath.ToSlash(p.Location.File), Line: p.Location.Line})
				if i < len(tt.errs) && !strings.Contains(p.Err.Error(), tt.errs[i]) {
					t.Errorf("problem %d: %q lacks %q", i, p.Err, tt.errs[i])
				}
				if strings.Contains(p.Err.Error(), "s3cret") {
					t.Errorf("problem %d leaks a password: %q", i, p.Err)
				}
			}
			if diff := cmp.Diff(tt.want, locs); diff != "" {
				t.Errorf("locations (-want +got):\n%s", diff)
			}
			if len(f.Workloads) != 0 {
				t.Errorf("workloads loaded from a rejected build: %d", len(f.Workloads))
			}
		})
	}
}

// TestRestrictions checks what a build may not do: read outside the root,
// follow a link out of it, run a function or block on a FIFO.
func TestRestrictions(t *testing.T) {
	t.Parallel()
	const deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n"
	tests := []struct {
		name    string
		files   map[string]string
		setup   func(t *testing.T, dir string)
		errText string
	}{
		{name: "file outside the root", files: map[string]string{"outside.yaml": deploy, "k/kustomization.yaml": "resources:\n  - ../outside.yaml\n"},
			errText: "security; file"},
		{name: "link out of the root", files: map[string]string{"k/kustomization.yaml": "resources:\n  - linked.yaml\n"},
			setup: func(t *testing.T, dir string) {
				secret := filepath.Join(t.TempDir(), "s.yaml")
				if err := os.WriteFile(secret, []byte(deploy), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(secret, filepath.Join(dir, "k", "linked.yaml")); err != nil {
					t.Skipf("symlink: %v", err)
				}
			},
			errText: "security; file"},
		{name: "exec function", files: map[string]string{
			"k/kustomization.yaml": "resources:\n  - d.yaml\ntransformers:\n  - fn.yaml\n",
			"k/d.yaml":             deploy,
			"k/fn.yaml":            "apiVersion: example.com/v1\nkind: Fn\nmetadata:\n  name: fn\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: /bin/sh\n",
		}, errText: "external plugins disabled"},
		{name: "legacy plugin", files: map[string]string{
			"k/kustomization.yaml": "resources:\n  - d.yaml\ngenerators:\n  - gen.yaml\n",
			"k/d.yaml":             deploy,
			"k/gen.yaml":           "apiVersion: someteam.example.com/v1\nkind: ChartInflator\nmetadata:\n  name: x\n",
		}, errText: "external plugins disabled"},
		{name: "oversized file", files: map[string]string{
			"k/kustomization.yaml": "resources:\n  - big.yaml\n",
			"k/big.yaml":           deploy + "data:\n  a: " + strings.Repeat("x", MaxFileBytes) + "\n",
		}, errText: "larger than the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, data := range tt.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			f := Load(t.Context(), filepath.Join(dir, "k"), Options{})
			if len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Err.Error(), tt.errText) {
				t.Fatalf("problems = %v, want one with %q", f.Problems, tt.errText)
			}
			if testing.Verbose() {
				t.Log(f.Problems[0].Err)
			}
			if len(f.Workloads) != 0 {
				t.Errorf("workloads loaded: %d", len(f.Workloads))
			}
		})
	}
}
