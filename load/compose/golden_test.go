package compose

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
	"github.com/immutcheck/immutcheck/model"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// view is a loaded file in a form that reads well as JSON: errors become
// strings.
type view struct {
	Problems  []string   `json:",omitempty"`
	Workloads []workView `json:",omitempty"`
}

type workView struct {
	model.Workload
	Image    string `json:",omitempty"`
	ImageErr string `json:",omitempty"`
}

func viewOf(f *model.File) view {
	var v view
	for _, p := range f.Problems {
		v.Problems = append(v.Problems, p.Location.String()+": "+p.Err.Error())
	}
	for _, w := range f.Workloads {
		wv := workView{Workload: *w}
		wv.Containers = append([]model.Container(nil), w.Containers...)
		for i := range wv.Containers {
			c := &wv.Containers[i]
			if c.Image.Err != nil {
				wv.ImageErr = c.Image.Err.Error()
			}
			c.Image.Err = nil
		}
		v.Workloads = append(v.Workloads, wv)
	}
	return v
}

// TestGolden loads testdata/<case>/compose.yaml and compares the result
// with testdata/<case>/golden.json. Run with -update to rewrite the golden
// files after checking the difference by eye.
func TestGolden(t *testing.T) {
	t.Parallel()
	golden := func(path string) string { return filepath.Join(filepath.Dir(path), "golden.json") }
	view := func(path string, data []byte) any { return viewOf(Load(path, data)) }
	loadtest.GoldenFiles(t, "testdata/*/compose.yaml", golden, view, *update)
}
