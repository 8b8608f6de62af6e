package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/immutcheck/immutcheck/rules"
)

// ANSI SGR sequences used when colour is on.
const (
	sgrReset  = "\x1b[0m"
	sgrBold   = "\x1b[1m"
	sgrDim    = "\x1b[2m"
	sgrRed    = "\x1b[31m"
	sgrGreen  = "\x1b[32m"
	sgrYellow = "\x1b[33m"
	sgrCyan   = "\x1b[36m"
)

// painter wraps text in ANSI colours when on is set, and does nothing
// otherwise. Only the renderer's own words are painted, never input strings.
type painter struct{ on bool }

func (p painter) paint(sgr, s string) string {
	if !p.on {
		return s
	}
	return sgr + s + sgrReset
}

// severityColour is the colour of each severity's label.
var severityColour = map[rules.Severity]string{
	rules.Critical: sgrBold + sgrRed,
	rules.High:     sgrRed,
	rules.Medium:   sgrYellow,
	rules.Low:      sgrCyan,
	rules.Info:     sgrDim,
}

// sevWidth is the width of the severity column ("critical").
const sevWidth = 8

// writeText renders findings grouped by rule group, in rules.Groups order,
// two lines per finding, then one summary line. Suppressed findings are only
// counted. Every string from an input goes through visible, so each finding
// takes exactly two lines whatever its subject, message or path hold.
func writeText(w io.Writer, r *Report, opts Options) error {
	p := painter{on: opts.Color}
	byGroup := map[rules.Group][]rules.Finding{}
	for _, f := range r.Findings {
		if !f.Suppressed {
			byGroup[f.Rule.Group] = append(byGroup[f.Rule.Group], f)
		}
	}
	// The rule column is as wide as the longest rule ID listed.
	idWidth := 0
	for _, fs := range byGroup {
		for _, f := range fs {
			idWidth = max(idWidth, len(visible(f.Rule.ID)))
		}
	}
	var b bytes.Buffer
	for _, g := range groupOrder(r) {
		fs := byGroup[g]
		if len(fs) == 0 {
			continue
		}
		heading := p.paint(sgrBold, visible(string(g))+":")
		if q := g.Question(); q != "" {
			heading += " " + q
		}
		b.WriteString(heading + "\n")
		for _, f := range fs {
			writeTextFinding(&b, p, f, idWidth)
		}
		b.WriteString("\n")
	}
	b.WriteString(textSummary(p, r.Summary()) + "\n")
	_, err := w.Write(b.Bytes())
	return err
}

// writeTextFinding writes one finding as two lines:
//
//	high     image-not-pinned  deploy/web.yaml:12:16  Deployment/web: image "nginx" is not pinned
//	         fix: Pin the image by digest.
func writeTextFinding(b *bytes.Buffer, p painter, f rules.Finding, idWidth int) {
	sev := fmt.Sprintf("%-*s", sevWidth, f.Severity)
	loc := visible(location(f).String())
	if loc == "" {
		loc = "-"
	}
	what := visible(f.Message)
	if s := subject(f); s != "" {
		what = visible(s) + ": " + what
	}
	fmt.Fprintf(b, "  %s %s  %s  %s\n", p.paint(severityColour[f.Severity], sev), p.paint(sgrBold, fmt.Sprintf("%-*s", idWidth, visible(f.Rule.ID))), loc, what)
	if f.Rule.Remediation != "" {
		fmt.Fprintf(b, "  %s %s %s\n", strings.Repeat(" ", sevWidth), p.paint(sgrDim, "fix:"), visible(f.Rule.Remediation))
	}
}

// textSummary is the last line of text output, e.g.
// "12 findings (2 critical, 7 high, 3 medium) in 9 files; 1 suppressed (use --format json to see them); failing at high and above".
func textSummary(p painter, s Summary) string {
	files := plural(s.Files, "file", "files")
	if s.Total == 0 {
		line := p.paint(sgrGreen, "no findings") + " in " + files
		if s.Suppressed > 0 {
			line += fmt.Sprintf("; %d suppressed (use --format json to see them)", s.Suppressed)
		}
		return line
	}
	var parts []string
	for _, sev := range severitiesDesc {
		if n := s.BySeverity.Get(sev); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	colour := sgrYellow
	if s.Failing > 0 {
		colour = sgrBold + sgrRed
	}
	line := p.paint(colour, plural(s.Total, "finding", "findings")) + " (" + strings.Join(parts, ", ") + ") in " + files
	if s.Suppressed > 0 {
		line += fmt.Sprintf("; %d suppressed (use --format json to see them)", s.Suppressed)
	}
	return line + "; " + threshold(s.FailOn)
}

// threshold says which severities fail the check.
func threshold(failOn rules.Severity) string {
	switch {
	case failOn > rules.Critical:
		return "nothing fails (--fail-on none)"
	case failOn == rules.Critical:
		return "failing at critical"
	default:
		return "failing at " + failOn.String() + " and above"
	}
}

// plural formats n with the singular or plural noun.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
