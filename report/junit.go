package report

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"

	"github.com/immutcheck/immutcheck/rules"
)

// JUnit XML as CI dashboards read it (the Ant/Surefire dialect): one
// testsuite per rule group, one failing testcase per finding, one skipped
// testcase per suppressed finding and one passing testcase per rule of the
// catalog that found nothing.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// writeJUnit renders the JUnit XML document. Input strings go through
// visible first, so control characters that XML 1.0 cannot carry show as
// \x1b and the like instead of being lost; encoding/xml then escapes markup
// and replaces anything else XML forbids.
func writeJUnit(w io.Writer, r *Report) error {
	rls, _ := catalog(r)
	byGroup := map[rules.Group][]junitCase{}
	hit := map[string]bool{}
	for _, f := range r.Findings {
		hit[f.Rule.ID] = true
		byGroup[f.Rule.Group] = append(byGroup[f.Rule.Group], junitFinding(f))
	}
	for _, rl := range rls {
		if !hit[rl.ID] {
			byGroup[rl.Group] = append(byGroup[rl.Group], junitCase{ClassName: className(rl), Name: visible(rl.ID) + ": " + visible(rl.Title)})
		}
	}
	doc := junitSuites{Name: "immutcheck"}
	for _, g := range groupOrder(r) {
		s := junitSuite{Name: "immutcheck." + visible(string(g)), Cases: byGroup[g]}
		for _, c := range s.Cases {
			s.Tests++
			if c.Failure != nil {
				s.Failures++
			}
			if c.Skipped != nil {
				s.Skipped++
			}
		}
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	b.WriteString("\n")
	_, err := w.Write(b.Bytes())
	return err
}

// junitFinding is the testcase of one finding: failed, or skipped when
// suppressed.
func junitFinding(f rules.Finding) junitCase {
	loc := location(f)
	where := loc.File
	if loc.Line > 0 {
		where += ":" + strconv.Itoa(loc.Line)
	}
	name := visible(where)
	if s := subject(f); s != "" {
		name = visible(s) + " (" + name + ")"
	}
	c := junitCase{ClassName: className(f.Rule), Name: name}
	if f.Suppressed {
		c.Skipped = &junitSkipped{Message: "suppressed: " + visible(f.Justification)}
		return c
	}
	c.Failure = &junitFailure{
		Message: visible(f.Message),
		Type:    f.Severity.String(),
		Body:    visible(loc.String()) + ": " + visible(f.Message) + "\nfix: " + visible(f.Rule.Remediation),
	}
	return c
}

// className is "immutcheck.<group>.<rule>".
func className(rl *rules.Rule) string {
	return "immutcheck." + visible(string(rl.Group)) + "." + visible(rl.ID)
}
