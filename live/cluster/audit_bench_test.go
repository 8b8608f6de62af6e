package cluster

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkAuditLog reads a log of 10,000 events in which one in ten is an
// exec session, the rest other requests on pods, as a RequestResponse-level
// policy that logs more than the interactive subresources writes them.
func BenchmarkAuditLog(b *testing.B) {
	var log bytes.Buffer
	for i := range 10000 {
		id := `"a` + strconv.Itoa(i) + `"`
		if i%10 == 0 {
			log.WriteString(event(`"a1"`, id))
			continue
		}
		log.WriteString(event(`"a1"`, id, `"exec"`, `"status"`, `"create"`, `"patch"`,
			`"responseStatus"`, `"requestObject":{"metadata":{"labels":{"x":"`+strings.Repeat("y", 400)+`"}}},"responseStatus"`))
	}
	b.SetBytes(int64(log.Len()))
	b.ReportAllocs()
	for b.Loop() {
		is, err := ReadAuditLog(context.Background(), "bench.log", bytes.NewReader(log.Bytes()), AuditOptions{})
		if err != nil || len(is) != 1 || len(is[0].Sessions) != 1000 {
			b.Fatalf("%d pods, %v", len(is), err)
		}
	}
}
