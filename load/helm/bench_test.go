package helm

import "testing"

// BenchmarkLoad renders and decodes a chart with two subcharts.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if f := Load(b.Context(), "testdata/parent", Options{}); len(f.Workloads) != 2 {
			b.Fatalf("workloads = %d", len(f.Workloads))
		}
	}
}
