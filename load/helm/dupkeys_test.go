package helm

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestValuesDuplicateKeys: a values file that names a key twice is
// refused, in the chart and in --values; Helm would keep the last.
func TestValuesDuplicateKeys(t *testing.T) {
	t.Parallel()
	dup := "image: nginx:1.27\nimage: nginx\n"
	dir := writeChart(t, map[string]string{"Chart.yaml": minimalChart, "values.yaml": dup, "templates/pod.yaml": pod})
	f := Load(context.Background(), dir, Options{})
	if len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Err.Error(), `duplicate key "image" at line 2 (first at line 1)`) {
		t.Fatalf("chart values: %v", f.Problems)
	}
	dir = writeChart(t, map[string]string{"Chart.yaml": minimalChart, "templates/pod.yaml": pod, "prod.yaml": dup})
	f = Load(context.Background(), dir, Options{ValueFiles: []string{filepath.Join(dir, "prod.yaml")}})
	if len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Err.Error(), `duplicate key "image"`) {
		t.Fatalf("--values: %v", f.Problems)
	}
}
