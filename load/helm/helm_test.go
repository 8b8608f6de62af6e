package helm

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/immutcheck/immutcheck/model"
)

func TestRender(t *testing.T) {
	t.Parallel()
	const dg = "sha256:0000000000000000000000000000000000000000000000000000000000000001"
	override := filepath.Join(t.TempDir(), "prod.yaml")
	if err := os.WriteFile(override, []byte("image:\n  tag: \"2.0.0\"\n  digest: \"\"\nreplicas: 5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		dir  string
		opts Options
		// want maps displayed paths to substrings of their output.
		want map[string][]string
	}{
		{
			name: "defaults; NOTES.txt, partials and empty output left out",
			dir:  "testdata/good",
			want: map[string][]string{"testdata/good/templates/deployment.yaml": {"image: ghcr.io/example/web:1.2.3@" + dg, "name: release-web", "namespace: default"}},
		},
		{
			name: "set enables a template",
			dir:  "testdata/good",
			opts: Options{Set: []string{"service=true"}},
			want: map[string][]string{
				"testdata/good/templates/deployment.yaml": {"replicas: 2"},
				"testdata/good/templates/service.yaml":    {"kind: Service"},
			},
		},
		{
			name: "values file over defaults",
			dir:  "testdata/good",
			opts: Options{ValueFiles: []string{override}},
			want: map[string][]string{"testdata/good/templates/deployment.yaml": {"image: ghcr.io/example/web:2.0.0\n", "replicas: 5"}},
		},
		{
			name: "set over values file",
			dir:  "testdata/good",
			opts: Options{ValueFiles: []string{override}, Set: []string{"image.tag=3.0.0,replicas=7"}},
			want: map[string][]string{"testdata/good/templates/deployment.yaml": {"image: ghcr.io/example/web:3.0.0\n", "replicas: 7"}},
		},
		{
			name: "subchart and aliased subchart point at the subchart's template",
			dir:  "testdata/parent",
			want: map[string][]string{
				"testdata/parent/templates/cm.yaml":                  {"release: release"},
				"testdata/parent/charts/child/templates/deploy.yaml": {"image: registry.example/child:1", "image: registry.example/second:2"},
			},
		},
		{
			name: "bad chart renders as written",
			dir:  "testdata/bad",
			want: map[string][]string{"testdata/bad/templates/pod.yaml": {"image: nginx:latest", "path: /var/lib/data"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := renderedPaths(t, tt.dir, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(keys(tt.want), keys(got)); diff != "" {
				t.Fatalf("rendered files (-want +got):\n%s", diff)
			}
			for p, subs := range tt.want {
				for _, s := range subs {
					if !strings.Contains(got[p], s) {
						t.Errorf("%s: output lacks %q:\n%s", p, s, got[p])
					}
				}
			}
		})
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestLoadProblems(t *testing.T) {
	t.Parallel()
	badValues := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(badValues, []byte("a: [1\nsecret: hunter2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		dir     string
		opts    Options
		loc     model.Location
		errText string
	}{
		{name: "dependency not vendored", dir: "testdata/missingdep", loc: model.Location{File: "testdata/missingdep/Chart.yaml"},
			errText: "dependency postgresql not vendored; run helm dependency build"},
		{name: "required value missing", dir: "testdata/required", loc: model.Location{File: "testdata/required/templates/deploy.yaml", Line: 10, Column: 20},
			errText: "image is required"},
		{name: "template parse error", dir: "testdata/parseerror", loc: model.Location{File: "testdata/parseerror/templates/cm.yaml", Line: 7},
			errText: "unclosed action"},
		{name: "no chart", dir: "testdata/nonexistent", loc: model.Location{File: "testdata/nonexistent"}, errText: "open chart"},
		{name: "values file missing", dir: "testdata/good", opts: Options{ValueFiles: []string{"testdata/none.yaml"}},
			loc: model.Location{File: "testdata/none.yaml"}, errText: "read values file"},
		{name: "values file malformed", dir: "testdata/good", opts: Options{ValueFiles: []string{badValues}},
			loc: model.Location{File: badValues}, errText: "parse values file"},
		{name: "set malformed", dir: "testdata/good", opts: Options{Set: []string{"a[=1"}}, loc: model.Location{File: "testdata/good"}, errText: "parse --set value"},
		{name: "set index too large", dir: "testdata/good", opts: Options{Set: []string{"a[999999999]=1"}}, loc: model.Location{File: "testdata/good"}, errText: "greater than maximum supported index"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := Load(t.Context(), tt.dir, tt.opts)
			if f.Path != tt.dir || f.Format != "helm" {
				t.Errorf("file = %q %q", f.Path, f.Format)
			}
			if len(f.Problems) != 1 {
				t.Fatalf("problems = %v, want one", f.Problems)
			}
			p := f.Problems[0]
			if p.Kind != model.Rejected {
				t.Errorf("kind = %v, want Rejected", p.Kind)
			}
			if diff := cmp.Diff(tt.loc, p.Location); diff != "" {
				t.Errorf("location (-want +got):\n%s", diff)
			}
			if !strings.Contains(p.Err.Error(), tt.errText) {
				t.Errorf("error %q lacks %q", p.Err, tt.errText)
			}
			if strings.Contains(p.Err.Error(), "hunter2") {
				t.Errorf("error echoes file contents: %q", p.Err)
			}
		})
	}
}

func TestLoadGood(t *testing.T) {
	t.Parallel()
	f := Load(t.Context(), "testdata/good", Options{})
	if len(f.Problems) != 0 {
		t.Fatalf("problems: %v", f.Problems)
	}
}

// TestLoadWorkloads checks what reaches the model: workloads located in
// the template files, lines of the rendered output.
func TestLoadWorkloads(t *testing.T) {
	t.Parallel()
	type wl struct {
		Subject string
		Loc     model.Location
		Image   string
		ImgLine int
		Pinned  bool
		Host    []string
	}
	tests := []struct {
		dir  string
		opts Options
		want []wl
	}{
		{dir: "testdata/good", want: []wl{{
			Subject: "Deployment/default/release-web", Loc: model.Location{File: "testdata/good/templates/deployment.yaml", Line: 1, Column: 1},
			Image: "ghcr.io/example/web:1.2.3@sha256:0000000000000000000000000000000000000000000000000000000000000001", ImgLine: 18, Pinned: true,
		}}},
		{dir: "testdata/bad", want: []wl{{
			Subject: "Pod/release-naked", Loc: model.Location{File: "testdata/bad/templates/pod.yaml", Line: 1, Column: 1},
			Image: "nginx:latest", ImgLine: 8, Host: []string{"/var/lib/data"},
		}}},
		{dir: "testdata/bad", opts: Options{Set: []string{"image=nginx@sha256:0000000000000000000000000000000000000000000000000000000000000002"}}, want: []wl{{
			Subject: "Pod/release-naked", Loc: model.Location{File: "testdata/bad/templates/pod.yaml", Line: 1, Column: 1},
			Image: "nginx@sha256:0000000000000000000000000000000000000000000000000000000000000002", ImgLine: 8, Pinned: true, Host: []string{"/var/lib/data"},
		}}},
		{dir: "testdata/parent", want: []wl{
			{Subject: "Deployment/child-release", Loc: model.Location{File: "testdata/parent/charts/child/templates/deploy.yaml", Line: 1, Column: 1},
				Image: "registry.example/child:1", ImgLine: 16},
			{Subject: "Deployment/second-release", Loc: model.Location{File: "testdata/parent/charts/child/templates/deploy.yaml", Line: 1, Column: 1},
				Image: "registry.example/second:2", ImgLine: 16},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			t.Parallel()
			f := Load(t.Context(), tt.dir, tt.opts)
			if len(f.Problems) != 0 {
				t.Fatalf("problems: %v", f.Problems)
			}
			var got []wl
			for _, w := range f.Workloads {
				g := wl{Subject: w.Subject(), Loc: w.Location}
				g.Loc.File = filepath.ToSlash(g.Loc.File)
				if len(w.Containers) > 0 {
					img := w.Containers[0].Image
					g.Image, g.ImgLine, g.Pinned = img.Ref, img.Location.Line, img.Pinned()
				}
				for _, h := range w.HostPaths {
					g.Host = append(g.Host, h.Path)
				}
				got = append(got, g)
			}
			sort.Slice(got, func(i, j int) bool { return got[i].Subject < got[j].Subject })
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("workloads (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadPackagedChart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir, "web-1.0.0.tgz", tgz(t, map[string]string{
		"web/Chart.yaml":         "apiVersion: v2\nname: web\nversion: 1.0.0\n",
		"web/values.yaml":        "image: nginx:1.27\n",
		"web/templates/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: {{ .Values.image }}\n",
	}))
	p := filepath.Join(dir, "web-1.0.0.tgz")
	f := Load(t.Context(), p, Options{Set: []string{"image=nginx:1.28"}})
	if len(f.Problems) != 0 || len(f.Workloads) != 1 {
		t.Fatalf("problems %v, workloads %d", f.Problems, len(f.Workloads))
	}
	img := f.Workloads[0].Containers[0].Image
	if want := filepath.Join(p, "templates", "pod.yaml"); img.Ref != "nginx:1.28" || img.Location.File != want || img.Location.Line != 8 {
		t.Errorf("image %q at %v, want nginx:1.28 at %s:8", img.Ref, img.Location, want)
	}
	writeFile(t, dir, "notachart.tgz", []byte("plain text"))
	if f := Load(t.Context(), filepath.Join(dir, "notachart.tgz"), Options{}); len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Err.Error(), "unpack chart") {
		t.Errorf("problems = %v, want unpack chart", f.Problems)
	}
}
