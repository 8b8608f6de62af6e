package nomad

import (
	"testing"

	"github.com/immutcheck/immutcheck/internal/corpus"
	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

// BenchmarkLoadCorpus loads every Nomad job of the corpus once per
// operation.
func BenchmarkLoadCorpus(b *testing.B) {
	var docs [][]byte
	size := 0
	for _, p := range corpus.Files(b, "nomad") {
		d := loadtest.Read(b, p)
		docs = append(docs, d)
		size += len(d)
	}
	b.SetBytes(int64(size))
	defer loadtest.ReportCPU(b)()
	for b.Loop() {
		for _, d := range docs {
			Load("job.nomad", d)
		}
	}
}
