package kube

import (
	"os"
	"sync/atomic"
	"testing"

	"github.com/immutcheck/immutcheck/load/internal/loadtest"
	"github.com/immutcheck/immutcheck/rules"
	"sigs.k8s.io/yaml"
)

// The benchmarks compare a full scan of the corpus (load and every rule)
// with the floor set in the performance target: a bare strict decode of
// the same documents into map[string]any with sigs.k8s.io/yaml. Both run
// in parallel over all CPUs; one op is one file. Compare cpu-ns/op when
// the machine is shared.
//
//	go test -run '^$' -bench . -benchmem ./load/kube

func benchFiles(b *testing.B) [][]byte {
	b.Helper()
	var out [][]byte
	var size int64
	for _, p := range corpusFiles(b) {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, data)
		size += int64(len(data))
	}
	b.SetBytes(size / int64(len(out)))
	return out
}

func BenchmarkDecode(b *testing.B) {
	files := benchFiles(b)
	ev, err := rules.NewEvaluator(rules.All(), rules.Settings{})
	if err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	defer reportCPU(b)()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			data := files[int(next.Add(1))%len(files)]
			f := Load("bench.yaml", data, Options{})
			_ = ev.Evaluate(f)
		}
	})
}

func BenchmarkBareSigsYAML(b *testing.B) {
	files := benchFiles(b)
	var next atomic.Int64
	defer reportCPU(b)()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			data := files[int(next.Add(1))%len(files)]
			_ = split(data, DefaultMaxObjectBytes, DefaultMaxDocuments, func(d document) {
				var m map[string]any
				_ = yaml.UnmarshalStrict(d.data, &m)
			})
		}
	})
}

// reportCPU resets the timer and returns a func that reports the CPU time
// per op (cpu-ns/op), the fairer measure on a shared machine.
func reportCPU(b *testing.B) func() {
	b.ResetTimer()
	start := loadtest.CPUTime()
	return func() {
		b.StopTimer()
		if used := loadtest.CPUTime() - start; used > 0 {
			b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}
