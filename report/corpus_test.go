package report

import (
	"bytes"
	"context"
	"testing"

	"github.com/immutcheck/immutcheck/internal/corpus"
	"github.com/immutcheck/immutcheck/load"
	"github.com/immutcheck/immutcheck/rules"
	"github.com/immutcheck/immutcheck/scan"
)

// TestCorpusAllFormats renders the findings of the whole real-world corpus
// in every format: SARIF and JSON validate against their schemas, JUnit is
// well-formed with counts that add up, and text holds nothing a terminal
// would act on and exactly two lines per listed finding.
func TestCorpusAllFormats(t *testing.T) {
	if testing.Short() {
		t.Skip("scans the whole corpus")
	}
	dir := corpus.Dir(t, "")
	ev, err := rules.NewEvaluator(rules.All(), rules.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := scan.Run(context.Background(), scan.Options{Paths: []string{dir}, Load: load.Options{Limits: load.DefaultLimits()}}, ev)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) == 0 {
		t.Fatalf("no findings in %d corpus files; the corpus is full of unpinned images", res.Files)
	}
	r := &Report{Tool: Tool{Name: "immutcheck", Version: "test"}, Rules: rules.All(), Findings: res.Findings, Files: res.Files, FailOn: rules.High}
	out := map[Format][]byte{}
	for _, f := range Formats {
		var b bytes.Buffer
		if err := Write(&b, f, r, Options{}); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[f] = b.Bytes()
	}
	validate(t, sarifSchemaOnce, out[SARIF])
	validate(t, jsonSchemaOnce, out[JSON])
	doc := decodeJUnit(t, out[JUnit])
	s := r.Summary()
	if doc.Failures != s.Total || doc.Skipped != s.Suppressed {
		t.Errorf("junit: %d failures, %d skipped; summary says %d, %d", doc.Failures, doc.Skipped, s.Total, s.Suppressed)
	}
	text := string(out[Text])
	if c, ok := safeText(text); !ok {
		t.Errorf("text output holds %U", c)
	}
	groups := 0
	for _, n := range s.ByGroup {
		if n > 0 {
			groups++
		}
	}
	// heading and blank line per group, two lines per finding, summary
	if want := 2*groups + 2*s.Total + 1; lines(text) != want {
		t.Errorf("text: %d lines, want %d", lines(text), want)
	}
	t.Logf("%d files, %d findings; sizes: text %d, json %d, sarif %d, junit %d bytes",
		res.Files, len(res.Findings), len(out[Text]), len(out[JSON]), len(out[SARIF]), len(out[JUnit]))
}
