package kustomize

import "testing"

// BenchmarkLoad builds and decodes an overlay over a base.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if f := Load(b.Context(), "testdata/overlay", Options{}); len(f.Workloads) != 1 {
			b.Fatalf("workloads = %d", len(f.Workloads))
		}
	}
}
