package compose

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad checks that no input panics the loader and that every result is
// either workloads or one Rejected problem. Input is read as standard input,
// so nothing on disk is reached.
func FuzzLoad(f *testing.F) {
	for _, tt := range hostile {
		if len(tt.data) <= 16<<10 { // big seeds only slow the fuzzer down
			f.Add([]byte(tt.data))
		}
	}
	fixtures, _ := filepath.Glob("testdata/*/compose.yaml")
	for _, p := range fixtures {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return // compose-go expands port ranges; keep executions short
		}
		file := Load("-", data)
		switch {
		case len(file.Problems) == 0:
			for _, w := range file.Workloads {
				if w.Name == "" || len(w.Containers) != 1 {
					t.Errorf("bad workload %+v", w)
				}
			}
		case len(file.Problems) == 1 && len(file.Workloads) == 0:
			if p := file.Problems[0]; p.Err == nil || len(p.Err.Error()) > maxErrLen+3 || errors.Is(p.Err, ErrLoaderPanic) {
				t.Errorf("bad problem %v", p.Err)
			}
		default:
			t.Errorf("got %d workloads and %d problems", len(file.Workloads), len(file.Problems))
		}
	})
}
