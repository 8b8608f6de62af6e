package report

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/immutcheck/immutcheck/rules"
)

// SARIF 2.1.0 output (OASIS SARIF v2.1.0 errata 01). The types hold only
// the properties immutcheck fills; they are written by hand because the Go
// SARIF libraries bring builders we do not need for one fixed shape.
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// srcRoot is the uriBaseId of every relative artifact location.
	srcRoot = "%SRCROOT%"
	// ruleDocBase is where each rule's documentation lives.
	ruleDocBase = "https://github.com/immutcheck/immutcheck/blob/main/docs/rules/"
	// fingerprintKey names immutcheck's partial fingerprint (§3.27.17).
	fingerprintKey = "immutcheck/v1"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifact `json:"originalUriBaseIds"`
	Results            []sarifResult            `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	HelpURI              string         `json:"helpUri"`
	Help                 sarifMultiText `json:"help"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           sarifRuleProps `json:"properties"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifMultiText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	SecuritySeverity string   `json:"security-severity"`
}

type sarifArtifact struct {
	URI         string     `json:"uri,omitempty"`
	URIBaseID   string     `json:"uriBaseId,omitempty"`
	Description *sarifText `json:"description,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          sarifResultProps   `json:"properties"`
}

type sarifResultProps struct {
	Severity string `json:"severity"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

// writeSARIF renders one SARIF run with every rule of the catalog.
func writeSARIF(w io.Writer, r *Report) error {
	rls, index := catalog(r)
	t := tool(r)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: t.Name, Version: t.Version, InformationURI: t.InformationURI,
			Rules: make([]sarifRule, 0, len(rls)),
		}},
		OriginalURIBaseIDs: map[string]sarifArtifact{
			srcRoot: {Description: &sarifText{Text: "The directory immutcheck was run from; file paths are relative to it."}},
		},
		Results: make([]sarifResult, 0, len(r.Findings)),
	}
	for _, rl := range rls {
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, toSARIFRule(rl))
	}
	for _, f := range r.Findings {
		run.Results = append(run.Results, toSARIFResult(f, index[f.Rule.ID]))
	}
	return encodeJSON(w, sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

func toSARIFRule(rl *rules.Rule) sarifRule {
	doc := ruleDocBase + url.PathEscape(rl.ID) + ".md"
	return sarifRule{
		ID:               rl.ID,
		Name:             pascalCase(rl.ID),
		ShortDescription: sarifText{Text: rl.Title},
		FullDescription:  sarifText{Text: rl.Rationale},
		HelpURI:          doc,
		Help: sarifMultiText{
			Text:     rl.Rationale + "\n\nFix: " + rl.Remediation + "\n\nDocumentation: " + doc,
			Markdown: rl.Rationale + "\n\n**Fix:** " + rl.Remediation + "\n\n[Rule documentation](" + doc + ")",
		},
		DefaultConfiguration: sarifConfig{Level: sarifLevel(rl.Severity)},
		Properties: sarifRuleProps{
			Tags:             []string{string(rl.Group), "immutable-infrastructure"},
			SecuritySeverity: securitySeverity(rl.Severity),
		},
	}
}

func toSARIFResult(f rules.Finding, ruleIndex int) sarifResult {
	text := f.Message
	if s := subject(f); s != "" {
		text = s + ": " + text
	}
	if f.Rule.Remediation != "" {
		text = strings.TrimSuffix(text, ".") + ". Fix: " + f.Rule.Remediation
	}
	res := sarifResult{
		RuleID:              f.Rule.ID,
		RuleIndex:           ruleIndex,
		Level:               sarifLevel(f.Severity),
		Message:             sarifText{Text: text},
		PartialFingerprints: map[string]string{fingerprintKey: fingerprint(f)},
		Properties:          sarifResultProps{Severity: f.Severity.String()},
	}
	if loc := location(f); loc.File != "" {
		phys := sarifPhysical{ArtifactLocation: artifactLocation(loc.File)}
		if loc.Line > 0 { // SARIF regions are 1-based; 0 means unknown
			phys.Region = &sarifRegion{StartLine: loc.Line, StartColumn: loc.Column}
		}
		res.Locations = []sarifLocation{{PhysicalLocation: phys}}
	}
	if f.Suppressed {
		res.Suppressions = []sarifSuppression{{Kind: "inSource", Justification: f.Justification}}
	}
	return res
}

// artifactLocation turns a file path into a SARIF artifact location: a
// relative URI reference against %SRCROOT%, or a file URI for absolute
// paths. Every segment is percent-encoded byte by byte, so spaces, control
// characters and invalid UTF-8 survive as %XX, and ':' is encoded so that a
// first segment like "c:x.yaml" is not read as a URI scheme.
func artifactLocation(path string) sarifArtifact {
	p := filepath.ToSlash(path)
	abs := filepath.IsAbs(path) || strings.HasPrefix(p, "/")
	if abs && !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/x → file:///C:/x
	}
	for strings.HasPrefix(p, "./") {
		p = p[2:]
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
	}
	uri := strings.Join(segs, "/")
	if abs {
		return sarifArtifact{URI: "file://" + uri}
	}
	return sarifArtifact{URI: uri, URIBaseID: srcRoot}
}

// fingerprint is a stable hash of what identifies a finding across runs:
// rule, file, subject and message (not the line, which moves with edits).
func fingerprint(f rules.Finding) string {
	h := sha256.New()
	for _, s := range []string{f.Rule.ID, f.Location.File, f.Subject, f.Message} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// sarifLevel maps a severity to a SARIF result level.
func sarifLevel(s rules.Severity) string {
	switch {
	case s >= rules.High:
		return "error"
	case s == rules.Medium:
		return "warning"
	default:
		return "note"
	}
}

// securitySeverity is the CVSS-like score GitHub code scanning reads from a
// rule's "security-severity" property to rank alerts.
func securitySeverity(s rules.Severity) string {
	switch s {
	case rules.Critical:
		return "9.5"
	case rules.High:
		return "8.0"
	case rules.Medium:
		return "5.5"
	case rules.Low:
		return "3.0"
	default:
		return "1.0"
	}
}

// pascalCase turns a kebab-case rule ID into a SARIF rule name:
// "image-not-pinned" → "ImageNotPinned".
func pascalCase(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part == "" {
			continue
		}
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}
