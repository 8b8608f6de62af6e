package scan

import (
	"context"
	"testing"

	"github.com/immutcheck/immutcheck/internal/corpus"
	"github.com/immutcheck/immutcheck/load"
	"github.com/immutcheck/immutcheck/rules"
)

// BenchmarkScanCorpus runs the whole static pipeline (walk, load, every
// rule) over the Kubernetes files of the shared corpus.
func BenchmarkScanCorpus(b *testing.B) {
	dir := corpus.Dir(b, "k8s")
	ev, err := rules.NewEvaluator(rules.All(), rules.Settings{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := Run(context.Background(), Options{Paths: []string{dir}, Load: load.Options{Limits: load.DefaultLimits()}}, ev)
		if err != nil || res.Files == 0 {
			b.Fatalf("scan: %v, %d files", err, res.Files)
		}
	}
}
