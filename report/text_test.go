package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

func TestVisible(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"plain Deployment/web":       "plain Deployment/web",
		"naïve ünïcode 日本":           "naïve ünïcode 日本",
		"a\nb\r\nc\td":               `a\nb\r\nc\td`,
		"\x1b[31mred\x1b[0m":         `\x1b[31mred\x1b[0m`,
		"nul\x00":                    `nul\x00`,
		"del\x7f":                    `del\x7f`,
		"bad\xff\xc3":                `bad\xff\xc3`,
		"csi\u009b1m nel\u0085":      `csi\u009b1m nel\u0085`,
		"rlo\u202eexe.txt\u202c":     `rlo\u202eexe.txt\u202c`,
		"iso\u2066x\u2069 lrm\u200e": `iso\u2066x\u2069 lrm\u200e`,
		"ls\u2028ps\u2029":           `ls\u2028ps\u2029`,
		"bom\ufeff non\ufffe\uffff":  `bom\ufeff non\ufffe\uffff`,
		`back\slash "q"`:             `back\slash "q"`,
		"real \ufffd stays":          "real \ufffd stays",
	}
	for in, want := range tests {
		if got := visible(in); got != want {
			t.Errorf("visible(%q) = %q, want %q", in, got, want)
		}
	}
}

// safeText reports the first rune of text output that could move the
// cursor, start a line or recolour the terminal, if any.
func safeText(out string) (rune, bool) {
	if !utf8.ValidString(out) {
		return utf8.RuneError, false
	}
	for _, r := range out {
		if r != '\n' && unsafeRune(r) {
			return r, false
		}
		// independent of unsafeRune: the categories a terminal acts on
		if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029') {
			return r, false
		}
	}
	return 0, true
}

// lines counts the lines of text output.
func lines(s string) int { return strings.Count(s, "\n") }

// TestTextHostile checks case 13 of RELIABILITY.md: names with ANSI
// escapes, carriage returns, newlines, NUL and invalid UTF-8 are shown
// escaped and cannot add, hide or fake lines.
func TestTextHostile(t *testing.T) {
	t.Parallel()
	r := hostileReport()
	var b bytes.Buffer
	if err := Write(&b, Text, r, Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if c, ok := safeText(out); !ok {
		t.Fatalf("text output holds %U:\n%s", c, out)
	}
	// Same report with harmless strings: the line count must not change.
	tame := hostileReport()
	for i := range tame.Findings {
		f := &tame.Findings[i]
		f.Subject, f.Message, f.Location.File, f.Justification = "s", "m", "f", "j"
	}
	var want bytes.Buffer
	if err := Write(&want, Text, tame, Options{}); err != nil {
		t.Fatal(err)
	}
	if lines(out) != lines(want.String()) {
		t.Errorf("hostile strings changed the line count: %d, want %d\n%s", lines(out), lines(want.String()), out)
	}
	for _, fake := range []string{"\nline two", "\rOK", "\x1b[32mOK"} {
		if strings.Contains(out, fake) {
			t.Errorf("output contains raw %q", fake)
		}
	}
	if !strings.Contains(out, `web\x1b[2K\r\x1b[32mOK: nothing to report\x1b[0m`) {
		t.Errorf("escape sequence not shown escaped:\n%s", out)
	}
}

var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

func TestTextColour(t *testing.T) {
	t.Parallel()
	r := hostileReport()
	var plain, colour bytes.Buffer
	if err := Write(&plain, Text, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := Write(&colour, Text, r, Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b") {
		t.Error("colour off, but output holds an escape character")
	}
	if !strings.Contains(colour.String(), "\x1b[") {
		t.Error("colour on, but output has no colour")
	}
	// The only escapes are our own SGR sequences; without them the output
	// is the plain one.
	if got := sgr.ReplaceAllString(colour.String(), ""); got != plain.String() {
		t.Errorf("colour output minus SGR sequences differs from plain output:\n%s\n---\n%s", got, plain.String())
	}
}

func TestTextSummaryLine(t *testing.T) {
	t.Parallel()
	one := func(sev rules.Severity, suppressed bool) rules.Finding {
		return rules.Finding{Rule: ruleNotPinned, Severity: sev, Subject: "s", Message: "m",
			Location: model.Location{File: "f.yaml", Line: 1}, Suppressed: suppressed, Justification: "j"}
	}
	tests := []struct {
		name     string
		findings []rules.Finding
		files    int
		failOn   rules.Severity
		want     string
	}{
		{"clean", nil, 9, rules.High, "no findings in 9 files"},
		{"clean one file", nil, 1, rules.High, "no findings in 1 file"},
		{"only suppressed", []rules.Finding{one(rules.High, true)}, 2, rules.High,
			"no findings in 2 files; 1 suppressed (use --format json to see them)"},
		{"mixed", []rules.Finding{one(rules.Critical, false), one(rules.Medium, false), one(rules.High, false), one(rules.High, false), one(rules.Low, true)}, 3, rules.High,
			"4 findings (1 critical, 2 high, 1 medium) in 3 files; 1 suppressed (use --format json to see them); failing at high and above"},
		{"one", []rules.Finding{one(rules.Info, false)}, 1, rules.Critical, "1 finding (1 info) in 1 file; failing at critical"},
		{"fail none", []rules.Finding{one(rules.Low, false)}, 1, rules.None, "1 finding (1 low) in 1 file; nothing fails (--fail-on none)"},
	}
	for _, tt := range tests {
		r := &Report{Rules: []*rules.Rule{ruleNotPinned}, Findings: tt.findings, Files: tt.files, FailOn: tt.failOn}
		var b bytes.Buffer
		if err := Write(&b, Text, r, Options{}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		last := out[strings.LastIndex(strings.TrimSuffix(out, "\n"), "\n")+1:]
		if last != tt.want+"\n" {
			t.Errorf("%s: last line = %q, want %q", tt.name, last, tt.want)
		}
		if strings.Contains(out, "fix:") != (r.Summary().Total > 0) {
			t.Errorf("%s: findings listed wrongly:\n%s", tt.name, out)
		}
		if want := 1 + 2*r.Summary().Total + 2*min(1, r.Summary().Total); lines(out) != want {
			// one summary line, two per finding, heading and blank line of the group
			t.Errorf("%s: %d lines, want %d (suppressed findings are not listed):\n%s", tt.name, lines(out), want, out)
		}
	}
}
