package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/rules"
)

// decodeJUnit parses out strictly: the whole token stream first (the
// decoder rejects characters XML 1.0 does not allow), then the structure.
func decodeJUnit(t testing.TB, out []byte) junitSuites {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(out))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%q", err, out)
		}
	}
	var doc junitSuites
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return doc
}

func TestJUnitCounts(t *testing.T) {
	t.Parallel()
	for name, r := range reports() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := Write(&b, JUnit, r, Options{}); err != nil {
				t.Fatal(err)
			}
			doc := decodeJUnit(t, b.Bytes())
			s := r.Summary()
			rls, _ := catalog(r)
			hit := map[string]bool{}
			for _, f := range r.Findings {
				hit[f.Rule.ID] = true
			}
			passing := 0
			for _, rl := range rls {
				if !hit[rl.ID] {
					passing++
				}
			}
			if doc.Tests != len(r.Findings)+passing || doc.Failures != s.Total || doc.Skipped != s.Suppressed || doc.Errors != 0 {
				t.Errorf("testsuites tests=%d failures=%d skipped=%d errors=%d; want %d %d %d 0",
					doc.Tests, doc.Failures, doc.Skipped, doc.Errors, len(r.Findings)+passing, s.Total, s.Suppressed)
			}
			var tests, failures, skipped int
			for _, suite := range doc.Suites {
				n, fl, sk := 0, 0, 0
				for _, c := range suite.Cases {
					n++
					if c.Failure != nil {
						fl++
					}
					if c.Skipped != nil {
						sk++
					}
					if !strings.HasPrefix(c.ClassName, suite.Name+".") {
						t.Errorf("case %q is in suite %q", c.ClassName, suite.Name)
					}
				}
				if suite.Tests != n || suite.Failures != fl || suite.Skipped != sk {
					t.Errorf("suite %s: tests=%d failures=%d skipped=%d, counted %d %d %d", suite.Name, suite.Tests, suite.Failures, suite.Skipped, n, fl, sk)
				}
				tests, failures, skipped = tests+n, failures+fl, skipped+sk
			}
			if tests != doc.Tests || failures != doc.Failures || skipped != doc.Skipped {
				t.Errorf("suites add up to %d/%d/%d, testsuites says %d/%d/%d", tests, failures, skipped, doc.Tests, doc.Failures, doc.Skipped)
			}
		})
	}
}

// TestJUnitHostile checks that hostile strings give well-formed XML in
// which control characters appear escaped, not dropped.
func TestJUnitHostile(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := Write(&b, JUnit, hostileReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	doc := decodeJUnit(t, b.Bytes())
	var names []string
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			names = append(names, c.Name)
			if c.Failure != nil && strings.ContainsAny(c.Failure.Message, "\x00\x1b\r\n") {
				t.Errorf("failure message holds a raw control character: %q", c.Failure.Message)
			}
		}
	}
	all := strings.Join(names, "\n")
	for _, want := range []string{`\x1b[2K\r\x1b[32mOK`, `nul\x00byte`, `bad utf8 \xff\xfe\xc3`, `<xml> & "quotes" ]]>`} {
		if !strings.Contains(all, want) {
			t.Errorf("testcase names lack %q:\n%s", want, all)
		}
	}
}

func TestJUnitPassingCases(t *testing.T) {
	t.Parallel()
	r := fixtureReport()
	r.Findings = nil
	var b bytes.Buffer
	if err := Write(&b, JUnit, r, Options{}); err != nil {
		t.Fatal(err)
	}
	doc := decodeJUnit(t, b.Bytes())
	if doc.Tests != len(r.Rules) || doc.Failures != 0 {
		t.Errorf("clean run: tests=%d failures=%d, want %d passing cases", doc.Tests, doc.Failures, len(r.Rules))
	}
	if doc.Suites[0].Name != "immutcheck."+string(rules.Artifact) {
		t.Errorf("first suite %q, want the artifact group first", doc.Suites[0].Name)
	}
}
