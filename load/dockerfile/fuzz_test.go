package dockerfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad checks that no input panics the loader and that every result is
// either one build or a located Rejected problem.
func FuzzLoad(f *testing.F) {
	// Big seeds (the long-line cases, which the table tests cover) only
	// slow the fuzzer down.
	const maxSeed = 16 << 10
	for _, tt := range hostile {
		if len(tt.data) <= maxSeed {
			f.Add([]byte(tt.data))
		}
	}
	for _, data := range accepted {
		if len(data) <= maxSeed {
			f.Add([]byte(data))
		}
	}
	fixtures, _ := filepath.Glob("testdata/*.Dockerfile")
	for _, p := range fixtures {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file := Load("Dockerfile", data)
		switch {
		case len(file.Builds) == 1 && len(file.Problems) == 0:
			b := file.Builds[0]
			for _, a := range b.Bases {
				if a.Location.Line < 1 {
					t.Errorf("base %q without a line", a.Ref)
				}
			}
		case len(file.Builds) == 0 && len(file.Problems) == 1:
			if p := file.Problems[0]; p.Err == nil || len(p.Err.Error()) > maxErrLen+3 || errors.Is(p.Err, ErrParserPanic) {
				t.Errorf("bad problem %v", p.Err)
			}
		default:
			t.Errorf("got %d builds and %d problems", len(file.Builds), len(file.Problems))
		}
	})
}
