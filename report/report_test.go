package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/rules"
)

func TestParseFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Format
		bad  bool
	}{
		{in: "text", want: Text},
		{in: "json", want: JSON},
		{in: "sarif", want: SARIF},
		{in: "junit", want: JUnit},
		{in: " SARIF ", want: SARIF},
		{in: "xml", bad: true},
		{in: "", bad: true},
		{in: "sarif2", bad: true},
	}
	for _, tt := range tests {
		got, err := ParseFormat(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("ParseFormat(%q) = %q, want error", tt.in, got)
				continue
			}
			for _, f := range Formats {
				if !strings.Contains(err.Error(), string(f)) {
					t.Errorf("ParseFormat(%q) error %q does not name %q", tt.in, err, f)
				}
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestWriteRejects(t *testing.T) {
	t.Parallel()
	noRule := fixtureReport()
	noRule.Findings[1].Rule = nil
	badSev := fixtureReport()
	badSev.Findings[0].Severity = rules.None
	nilCatalog := fixtureReport()
	nilCatalog.Rules = append(nilCatalog.Rules, nil)
	badFailOn := fixtureReport()
	badFailOn.FailOn = -1
	tests := []struct {
		name string
		f    Format
		r    *Report
		want string
	}{
		{"nil report", Text, nil, "no report"},
		{"finding without rule", JSON, noRule, "has no rule"},
		{"invalid severity", SARIF, badSev, "invalid severity"},
		{"nil rule in catalog", JUnit, nilCatalog, "is nil"},
		{"invalid threshold", Text, badFailOn, "invalid fail-on"},
		{"unknown format", Format("html"), fixtureReport(), "unknown format"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		err := Write(&b, tt.f, tt.r, Options{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to contain %q", tt.name, err, tt.want)
		}
		if b.Len() != 0 {
			t.Errorf("%s: wrote %d bytes before failing", tt.name, b.Len())
		}
	}
}

// TestWriteDoesNotMutate renders every format and checks the report is
// unchanged afterwards.
func TestWriteDoesNotMutate(t *testing.T) {
	t.Parallel()
	for _, f := range Formats {
		r := hostileReport()
		r.Findings = append(r.Findings, fixtureReport().Findings...) // unsorted on purpose
		findings := slices.Clone(r.Findings)
		catalog := slices.Clone(r.Rules)
		var b bytes.Buffer
		if err := Write(&b, f, r, Options{Color: true}); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(findings, r.Findings) || !slices.Equal(catalog, r.Rules) {
			t.Errorf("%s: Write changed the report", f)
		}
	}
}

func TestSummary(t *testing.T) {
	t.Parallel()
	got := fixtureReport().Summary()
	want := Summary{
		Total:      4,
		BySeverity: SeverityCounts{Critical: 1, High: 3},
		ByGroup: map[rules.Group]int{
			rules.Artifact: 2, rules.Disposable: 0, rules.Drift: 0, rules.Declarative: 0,
			rules.Rollback: 0, rules.Baseline: 1, rules.Input: 1,
		},
		Suppressed: 1,
		Files:      4,
		FailOn:     rules.High,
		Failing:    4,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Summary (-want +got):\n%s", diff)
	}
	r := fixtureReport()
	r.FailOn = rules.Critical
	if n := r.Summary().Failing; n != 1 {
		t.Errorf("failing at critical = %d, want 1", n)
	}
	r.FailOn = rules.None
	if n := r.Summary().Failing; n != 0 {
		t.Errorf("failing with --fail-on none = %d, want 0", n)
	}
}

// TestGroupOrder checks that groups follow rules.Groups and that a group
// outside it is still shown, last.
func TestGroupOrder(t *testing.T) {
	t.Parallel()
	r := fixtureReport()
	odd := &rules.Rule{ID: "odd", Group: "zz-custom", Severity: rules.Low}
	r.Findings = append([]rules.Finding{{Rule: odd, Severity: rules.Low, Subject: "s", Message: "m"}}, r.Findings...)
	want := []rules.Group{rules.Artifact, rules.Disposable, rules.Rollback, rules.Baseline, rules.Input, "zz-custom"}
	if diff := cmp.Diff(want, groupOrder(r)); diff != "" {
		t.Errorf("groupOrder (-want +got):\n%s", diff)
	}
}

// TestToolDefaults: a report without tool details still names the tool,
// which SARIF requires.
func TestToolDefaults(t *testing.T) {
	t.Parallel()
	r := &Report{FailOn: rules.High}
	for _, f := range []Format{JSON, SARIF} {
		var b bytes.Buffer
		if err := Write(&b, f, r, Options{}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), `"name": "immutcheck"`) || !strings.Contains(b.String(), defaultToolURI) {
			t.Errorf("%s: tool name or home page missing:\n%s", f, b.String())
		}
	}
	if r.Tool != (Tool{}) {
		t.Error("Write filled in r.Tool")
	}
}
