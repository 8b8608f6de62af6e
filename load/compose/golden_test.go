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
	files, err := filepath.Glob("testdata/*/compose.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(filepath.Dir(path)), func(t *testing.T) {
			t.Parallel()
			data := loadtest.Read(t, path)
			golden := filepath.Join(filepath.Dir(path), "golden.json")
			loadtest.GoldenJSON(t, golden, viewOf(Load(path, data)), *update)
		})
	}
}
