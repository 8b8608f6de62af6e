package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// FuzzWrite builds findings from random strings and checks every format:
// JSON and SARIF parse and validate against their schemas, JUnit is
// well-formed XML with the right counts, PolicyReport YAML parses back as
// kubectl reads it with valid names and one result per finding, and text holds no raw control
// character and exactly as many lines as the same report with tame strings.
func FuzzWrite(f *testing.F) {
	for _, h := range hostile {
		f.Add(h, h, h, h, 3, 7, false)
		f.Add(h, "m", "deploy/"+h, "why", 0, 0, true)
	}
	f.Add("Deployment/web", "image \"x\" is not pinned", "a b/c:d.yaml", "", -1, -5, false)
	f.Fuzz(func(t *testing.T, subject, message, file, justification string, line, col int, suppressed bool) {
		r := fuzzReport(subject, message, file, justification, line, col, suppressed)
		for _, format := range Formats {
			var b bytes.Buffer
			if err := Write(&b, format, r, Options{}); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			out := b.Bytes()
			switch format {
			case Text:
				if c, ok := safeText(b.String()); !ok {
					t.Fatalf("text output holds %U:\n%q", c, out)
				}
				tameWhy := ""
				if justification != "" {
					tameWhy = "j"
				}
				tame := fuzzReport("s", "m", "f", tameWhy, line, col, suppressed)
				var want bytes.Buffer
				if err := Write(&want, Text, tame, Options{}); err != nil {
					t.Fatal(err)
				}
				if lines(b.String()) != lines(want.String()) {
					t.Fatalf("text: %d lines, want %d:\n%s", lines(b.String()), lines(want.String()), out)
				}
			case JSON:
				validate(t, jsonSchemaOnce, out)
				var doc jsonReport
				if err := json.Unmarshal(out, &doc); err != nil || len(doc.Findings) != len(r.Findings) {
					t.Fatalf("json: %v, %d findings", err, len(doc.Findings))
				}
			case SARIF:
				validate(t, sarifSchemaOnce, out)
				if n := len(decodeSARIF(t, r).Runs[0].Results); n != len(r.Findings) {
					t.Fatalf("sarif: %d results, want %d", n, len(r.Findings))
				}
			case PolicyReport:
				n := 0
				for _, d := range decodePolicyReports(t, out) {
					n += len(d.Results)
				}
				if n != len(r.Findings) {
					t.Fatalf("policyreport: %d results, want %d", n, len(r.Findings))
				}
			case JUnit:
				doc := decodeJUnit(t, out)
				if doc.Failures+doc.Skipped != len(r.Findings) {
					t.Fatalf("junit: %d failures + %d skipped, want %d", doc.Failures, doc.Skipped, len(r.Findings))
				}
				if strings.Count(b.String(), "<testcase ") != doc.Tests {
					t.Fatalf("junit: tests=%d does not match the testcases", doc.Tests)
				}
			}
		}
	})
}

// fuzzReport is a report with a fuzzed finding between two fixed ones.
func fuzzReport(subject, message, file, justification string, line, col int, suppressed bool) *Report {
	r := fixtureReport()
	if justification == "" {
		suppressed = false // the evaluator never suppresses without a reason
	}
	fuzzed := rules.Finding{
		Rule: ruleSSH, Severity: rules.Critical, Subject: subject, Message: message,
		Location: model.Location{File: file, Line: line, Column: col}, Suppressed: suppressed,
	}
	if suppressed {
		fuzzed.Justification = justification
	}
	if subject != "" {
		// The fuzzed strings as a Kubernetes object: PolicyReport output
		// groups by its namespace.
		fuzzed.Object = &model.ObjectRef{Kind: "Pod", Namespace: subject, Name: message, UID: file}
	}
	r.Findings = []rules.Finding{r.Findings[0], fuzzed, r.Findings[len(r.Findings)-1]}
	return r
}
