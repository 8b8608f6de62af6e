package report

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// Format names an output format.
type Format string

// The output formats.
const (
	Text  Format = "text"
	JSON  Format = "json"
	SARIF Format = "sarif"
	JUnit Format = "junit"
	// PolicyReport is a YAML stream of wgpolicyk8s.io/v1alpha2
	// PolicyReport and ClusterPolicyReport objects, for kubectl apply.
	PolicyReport Format = "policyreport"
)

// Formats lists every output format, in the order help texts show them.
var Formats = []Format{Text, JSON, SARIF, JUnit, PolicyReport}

// ParseFormat parses a format name. An unknown name is an error that lists
// the valid ones; there is no fallback.
func ParseFormat(s string) (Format, error) {
	v := Format(strings.ToLower(strings.TrimSpace(s)))
	for _, f := range Formats {
		if f == v {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q (want text, json, sarif, junit or policyreport)", s)
}

// Tool describes the program that produced a report.
type Tool struct {
	// Name is "immutcheck".
	Name string
	// Version is the release version, or "dev" for local builds.
	Version string
	// InformationURI is the project's home page.
	InformationURI string
}

// Report is everything a renderer needs. Renderers never mutate it.
type Report struct {
	Tool Tool
	// Rules is the catalog in effect; SARIF lists their metadata and JUnit
	// shows a passing case for each rule without findings.
	Rules []*rules.Rule
	// Findings are sorted already (rules.Sort). Every finding has a Rule.
	Findings []rules.Finding
	// Files is the number of inputs checked.
	Files int
	// FailOn is the threshold at or above which findings fail the check;
	// rules.None means nothing fails.
	FailOn rules.Severity
	// Time is when the check ran. PolicyReport results carry it as their
	// timestamp, and leave the timestamp out when Time is zero.
	Time time.Time
}

// Options change how a report is rendered without changing its content.
type Options struct {
	// Color enables ANSI colours in text output. The CLI sets it only when
	// writing to a terminal and NO_COLOR is unset.
	Color bool
}

// Write renders r in format f to w.
func Write(w io.Writer, f Format, r *Report, opts Options) error {
	if err := check(r); err != nil {
		return fmt.Errorf("write %s report: %w", f, err)
	}
	var err error
	switch f {
	case Text:
		err = writeText(w, r, opts)
	case JSON:
		err = writeJSON(w, r)
	case SARIF:
		err = writeSARIF(w, r)
	case JUnit:
		err = writeJUnit(w, r)
	case PolicyReport:
		err = writePolicyReport(w, r)
	default:
		_, err = ParseFormat(string(f))
	}
	if err != nil {
		return fmt.Errorf("write %s report: %w", f, err)
	}
	return nil
}

// check rejects reports that no renderer can show faithfully.
func check(r *Report) error {
	if r == nil {
		return errors.New("no report")
	}
	if r.FailOn < rules.Info || r.FailOn > rules.None {
		return fmt.Errorf("invalid fail-on threshold %d", int(r.FailOn))
	}
	for i, rl := range r.Rules {
		if rl == nil {
			return fmt.Errorf("rule %d of the catalog is nil", i)
		}
	}
	for i, f := range r.Findings {
		if f.Rule == nil {
			return fmt.Errorf("finding %d (%s) has no rule", i, f.Location)
		}
		if f.Severity < rules.Info || f.Severity > rules.Critical {
			return fmt.Errorf("finding %d (%s) has invalid severity %d", i, f.Rule.ID, int(f.Severity))
		}
	}
	return nil
}

// Defaults for the parts of Tool a caller leaves empty.
const (
	defaultToolName = "immutcheck"
	defaultToolURI  = "https://github.com/immutcheck/immutcheck"
)

// tool returns r.Tool with empty name and home page filled in, so that
// SARIF, which requires a driver name, always gets one.
func tool(r *Report) Tool {
	t := r.Tool
	if t.Name == "" {
		t.Name = defaultToolName
	}
	if t.InformationURI == "" {
		t.InformationURI = defaultToolURI
	}
	return t
}

// subject returns what f is about for display, or "" when that is only the
// file's path again (a Dockerfile, a file that failed to load), which the
// location already shows.
func subject(f rules.Finding) string {
	if f.Subject == f.Location.File {
		return ""
	}
	return f.Subject
}

// location returns where f was found, with negative line or column (which
// no loader should produce) treated as unknown.
func location(f rules.Finding) model.Location {
	l := f.Location
	if l.Line < 0 {
		l.Line = 0
	}
	if l.Column < 0 || l.Line == 0 {
		l.Column = 0
	}
	return l
}
