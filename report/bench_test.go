package report

import (
	"fmt"
	"io"
	"testing"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// BenchmarkWrite renders a report of 1000 findings over the full catalog in
// each format.
func BenchmarkWrite(b *testing.B) {
	r := fixtureReport()
	r.Rules = rules.All()
	r.Findings = nil
	for i := range 1000 {
		rl := r.Rules[i%len(r.Rules)]
		r.Findings = append(r.Findings, rules.Finding{
			Rule: rl, Severity: rl.Severity, Subject: fmt.Sprintf("Deployment/shop/web-%d container app", i),
			Message:  fmt.Sprintf("image \"registry.example/app:%d\" is not pinned by digest", i),
			Location: model.Location{File: fmt.Sprintf("deploy/app-%d.yaml", i/10), Line: i%50 + 1, Column: 9},
		})
	}
	rules.Sort(r.Findings)
	for _, f := range Formats {
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := Write(io.Discard, f, r, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
