package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/immutcheck/immutcheck/internal/corpus"
	"github.com/immutcheck/immutcheck/load/internal/loadtest"
	"github.com/immutcheck/immutcheck/rules"
)

// largePlan builds a plan of n resource changes (and n planned values) from
// the resource changes of the corpus plans, renamed so that addresses are
// unique. It is generated here, never committed.
func largePlan(tb testing.TB, dir string, n int) []byte {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var pool []map[string]any
	var config any
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		var doc struct {
			ResourceChanges []map[string]any `json:"resource_changes"`
			Configuration   any              `json:"configuration"`
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if dec.Decode(&doc) != nil {
			continue
		}
		for _, rc := range doc.ResourceChanges {
			if rc["mode"] == "managed" {
				pool = append(pool, rc)
			}
		}
		if config == nil {
			config = doc.Configuration
		}
	}
	if len(pool) == 0 {
		tb.Fatal("no resource changes in the corpus")
	}
	changes := make([]map[string]any, 0, n)
	values := make([]map[string]any, 0, n)
	for i := 0; i < n; i++ {
		rc := map[string]any{}
		for k, v := range pool[i%len(pool)] {
			rc[k] = v
		}
		rc["address"] = fmt.Sprintf("%v_%d", rc["address"], i)
		changes = append(changes, rc)
		after := any(nil)
		if ch, ok := rc["change"].(map[string]any); ok {
			after = ch["after"]
		}
		values = append(values, map[string]any{"address": rc["address"], "mode": rc["mode"], "type": rc["type"], "name": rc["name"], "values": after})
	}
	doc := map[string]any{
		"format_version":    "1.2",
		"terraform_version": "1.9.5",
		"planned_values":    map[string]any{"root_module": map[string]any{"resources": values}},
		"resource_changes":  changes,
		"configuration":     config,
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// BenchmarkScan5000 loads and evaluates a 5,000-resource plan. Besides
// wall time it reports the process CPU time per operation (cpu-ns/op),
// which stays meaningful when the machine is shared.
func BenchmarkScan5000(b *testing.B) {
	data := largePlan(b, corpus.Dir(b, "terraform-plan"), 5000)
	ev, err := rules.NewEvaluator(rules.All(), rules.Settings{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	defer loadtest.ReportCPU(b)()
	for b.Loop() {
		f := Load("plan.json", data)
		if len(f.Problems) != 0 || len(f.Changes) != 5000 {
			b.Fatalf("%d changes, problems %v", len(f.Changes), f.Problems)
		}
		ev.Evaluate(f)
	}
}

// TestLargePlanMemory checks that loading streams: with the garbage
// collector kept busy, the live heap while loading a 5,000-resource plan
// (sampled every millisecond) grows by less than the document itself.
func TestLargePlanMemory(t *testing.T) {
	data := largePlan(t, corpus.Dir(t, "terraform-plan"), 5000)
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() int64 { metrics.Read(sample); return int64(sample[0].Value.Uint64()) }
	base := read()
	var peak atomic.Int64
	done := make(chan struct{})
	go func() {
		for {
			if v := read(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	f := Load("plan.json", data)
	close(done)
	if len(f.Changes) != 5000 {
		t.Fatalf("%d changes", len(f.Changes))
	}
	runtime.GC()
	retained := read() - base
	growth := peak.Load() - base
	t.Logf("document %d bytes; heap peak growth %d bytes; model retained %d bytes", len(data), growth, retained)
	if growth > int64(len(data)) {
		t.Errorf("heap grew by %d bytes while loading a %d-byte plan: more than one copy", growth, len(data))
	}
	runtime.KeepAlive(f)
	runtime.KeepAlive(data)
}
