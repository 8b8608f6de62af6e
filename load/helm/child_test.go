package helm

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain lets this test binary serve as the render child, as the
// immutcheck binary does from main.
func TestMain(m *testing.M) {
	ServeChild()
	os.Exit(m.Run())
}

func testBound(t *testing.T) *Bound {
	exe, err := os.Executable()
	if err != nil {
		t.Skipf("no executable: %v", err)
	}
	return &Bound{Exe: exe, Memory: 512 << 20, Timeout: 5 * time.Second}
}

// TestRenderBounded: templates that ask for unbounded time or memory stop
// at the child's bound with a problem naming the chart and the bound; a
// plain chart renders as in process.
func TestRenderBounded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		files  map[string]string
		errSub []string
	}{
		{"until a hundred million", map[string]string{"templates/a.yaml": "{{ range $i := until 100000000 }}{{ $i }}{{ end }}"},
			[]string{"render memory limit", "render deadline", "larger than the limit"}},
		{"self-including tpl", map[string]string{"values.yaml": "t: '{{ tpl .Values.t . }}'\n", "templates/a.yaml": "{{ tpl .Values.t . }}"},
			[]string{"render memory limit", "render deadline", "recurse without end", "exceeded max"}},
		{"repeat of repeat", map[string]string{"templates/a.yaml": `{{ repeat 100000 (repeat 100000 "A") }}`},
			[]string{"render memory limit", "render deadline"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{"Chart.yaml": minimalChart}
			for k, v := range tt.files {
				files[k] = v
			}
			dir := writeChart(t, files)
			start := time.Now()
			f := Load(context.Background(), dir, Options{Bound: testBound(t)})
			if d := time.Since(start); d > 15*time.Second {
				t.Errorf("took %v", d)
			}
			if len(f.Problems) != 1 {
				t.Fatalf("got %d problems, %d objects", len(f.Problems), len(f.Workloads))
			}
			msg := f.Problems[0].Err.Error()
			ok := false
			for _, s := range tt.errSub {
				ok = ok || strings.Contains(msg, s)
			}
			if !ok || f.Problems[0].Location.File == "" {
				t.Errorf("problem at %q: %q, want one of %q", f.Problems[0].Location.File, msg, tt.errSub)
			}
			t.Logf("%v: %s", time.Since(start).Round(time.Millisecond), msg)
		})
	}
	t.Run("plain chart", func(t *testing.T) {
		t.Parallel()
		dir := writeChart(t, map[string]string{"Chart.yaml": minimalChart, "templates/cm.yaml": configMap, "templates/bad.yaml": "{{ fail \"no\" }}"})
		f := Load(context.Background(), dir, Options{Bound: testBound(t)})
		in := Load(context.Background(), dir, Options{})
		if len(f.Problems) != 1 || len(in.Problems) != 1 || f.Problems[0].Err.Error() != in.Problems[0].Err.Error() || f.Problems[0].Location != in.Problems[0].Location {
			t.Fatalf("child %v, in process %v", f.Problems, in.Problems)
		}
		dir = writeChart(t, map[string]string{"Chart.yaml": minimalChart, "templates/pod.yaml": pod})
		f = Load(context.Background(), dir, Options{Bound: testBound(t)})
		in = Load(context.Background(), dir, Options{})
		if len(f.Problems) != 0 || len(f.Workloads) != 1 || len(in.Workloads) != 1 || f.Workloads[0].Location != in.Workloads[0].Location {
			t.Fatalf("child %+v, in process %+v", f, in)
		}
	})
}

const pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n"
