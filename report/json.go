package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// JSONVersion is the version of the JSON output contract
// (docs/json-output.md). It changes only when a field is removed or changes
// meaning; adding fields does not change it.
const JSONVersion = 1

// The types below are the JSON contract. Field order is the order of the
// struct fields, so it is stable.

type jsonReport struct {
	Version  int           `json:"version"`
	Tool     jsonTool      `json:"tool"`
	Findings []jsonFinding `json:"findings"`
	Summary  jsonSummary   `json:"summary"`
}

type jsonTool struct {
	Name           string `json:"name"`
	Version        string `json:"version"`
	InformationURI string `json:"information_uri"`
}

type jsonFinding struct {
	Rule          string       `json:"rule"`
	Group         string       `json:"group"`
	Severity      string       `json:"severity"`
	Message       string       `json:"message"`
	Subject       string       `json:"subject"`
	Location      jsonLocation `json:"location"`
	Object        *jsonObject  `json:"object,omitempty"`
	Suppressed    bool         `json:"suppressed"`
	Justification *string      `json:"justification,omitempty"`
	Remediation   string       `json:"remediation"`
}

// jsonLocation always carries line and column; 0 means unknown.
type jsonLocation struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// jsonObject is the Kubernetes object a finding is about; optional fields
// are left out when unknown.
type jsonObject struct {
	APIVersion string `json:"api_version,omitempty"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
	UID        string `json:"uid,omitempty"`
}

type jsonSummary struct {
	Total      int            `json:"total"`
	BySeverity jsonSeverities `json:"by_severity"`
	ByGroup    map[string]int `json:"by_group"` // encoding/json sorts keys
	Suppressed int            `json:"suppressed"`
	Files      int            `json:"files"`
	FailOn     string         `json:"fail_on"`
	Failing    int            `json:"failing"`
}

type jsonSeverities struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
	Info     int `json:"info"`
}

// writeJSON renders the JSON contract: 2-space indent, trailing newline.
// encoding/json escapes control characters and replaces invalid UTF-8 with
// U+FFFD, so the output is valid JSON whatever the inputs hold.
func writeJSON(w io.Writer, r *Report) error {
	t := tool(r)
	out := jsonReport{
		Version:  JSONVersion,
		Tool:     jsonTool{Name: t.Name, Version: t.Version, InformationURI: t.InformationURI},
		Findings: make([]jsonFinding, 0, len(r.Findings)),
		Summary:  toJSONSummary(r.Summary()),
	}
	for _, f := range r.Findings {
		jf := jsonFinding{
			Rule:        f.Rule.ID,
			Group:       string(f.Rule.Group),
			Severity:    f.Severity.String(),
			Message:     f.Message,
			Subject:     f.Subject,
			Location:    toJSONLocation(location(f)),
			Suppressed:  f.Suppressed,
			Remediation: f.Rule.Remediation,
		}
		if o := f.Object; o != nil {
			jf.Object = &jsonObject{APIVersion: o.APIVersion, Kind: o.Kind, Namespace: o.Namespace, Name: o.Name, UID: o.UID}
		}
		if f.Suppressed {
			j := f.Justification
			jf.Justification = &j
		}
		out.Findings = append(out.Findings, jf)
	}
	return encodeJSON(w, out)
}

func toJSONLocation(l model.Location) jsonLocation {
	return jsonLocation{File: l.File, Line: l.Line, Column: l.Column}
}

func toJSONSummary(s Summary) jsonSummary {
	js := jsonSummary{
		Total: s.Total,
		BySeverity: jsonSeverities{
			Critical: s.BySeverity.Critical, High: s.BySeverity.High, Medium: s.BySeverity.Medium,
			Low: s.BySeverity.Low, Info: s.BySeverity.Info,
		},
		ByGroup:    make(map[string]int, len(s.ByGroup)),
		Suppressed: s.Suppressed,
		Files:      s.Files,
		FailOn:     failOnName(s.FailOn),
		Failing:    s.Failing,
	}
	for g, n := range s.ByGroup {
		js.ByGroup[string(g)] = n
	}
	return js
}

// failOnName names a threshold as --fail-on spells it.
func failOnName(s rules.Severity) string {
	if s > rules.Critical {
		return "none"
	}
	return s.String()
}

// encodeJSON writes v with 2-space indent and a trailing newline, without
// HTML escaping (the output is not embedded in HTML).
func encodeJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}
