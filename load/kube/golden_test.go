package kube

import (
	"bytes"
	"encoding/json"
	"flag"
	"path/filepath"
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
	"github.com/immutcheck/immutcheck/model"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// TestGolden loads every testdata/*.yaml and *.json fixture and compares the
// model with testdata/<fixture>.golden. Run with -update to rewrite them.
func TestGolden(t *testing.T) {
	t.Parallel()
	golden := func(path string) string { return path + ".golden" }
	load := func(path string, data []byte) any { return view(Load(filepath.Base(path), data, Options{})) }
	for _, pattern := range []string{"testdata/*.yaml", "testdata/*.json"} {
		loadtest.GoldenFiles(t, pattern, golden, load, *update)
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
