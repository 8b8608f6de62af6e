package kube

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/model"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// TestGolden loads every testdata/*.yaml and *.json fixture and compares the
// model with testdata/<fixture>.golden. Run with -update to rewrite them.
func TestGolden(t *testing.T) {
	t.Parallel()
	var inputs []string
	for _, pat := range []string{"testdata/*.yaml", "testdata/*.json"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, m...)
	}
	if len(inputs) == 0 {
		t.Fatal("no fixtures")
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got := render(t, Load(filepath.Base(in), data, Options{}))
			golden := in + ".golden"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s differs from %s (-want +got):\n%s", in, golden, diff)
			}
		})
	}
}

// The view types render a model.File as JSON with errors as strings.
type (
	fileView struct {
		Workloads []workloadView `json:",omitempty"`
		Problems  []problemView  `json:",omitempty"`
	}
	workloadView struct {
		*model.Workload
		Containers []containerView
	}
	containerView struct {
		model.Container
		Image artifactView
	}
	artifactView struct {
		model.Artifact
		Err string `json:",omitempty"`
	}
	problemView struct {
		Kind     string
		Location string
		Object   string `json:",omitempty"`
		Err      string
	}
)

func view(f *model.File) fileView {
	var v fileView
	for _, w := range f.Workloads {
		wv := workloadView{Workload: w}
		for _, c := range w.Containers {
			cv := containerView{Container: c, Image: artifactView{Artifact: c.Image}}
			if c.Image.Err != nil {
				cv.Image.Err = c.Image.Err.Error()
			}
			wv.Containers = append(wv.Containers, cv)
		}
		v.Workloads = append(v.Workloads, wv)
	}
	for _, p := range f.Problems {
		kind := "rejected"
		if p.Kind == model.UnknownField {
			kind = "unknown-field"
		}
		v.Problems = append(v.Problems, problemView{Kind: kind, Location: p.Location.String(), Object: p.Object, Err: p.Err.Error()})
	}
	return v
}

func render(t *testing.T, f *model.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(view(f)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
