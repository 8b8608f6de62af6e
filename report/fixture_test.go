package report

import (
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// The fixture rules are local copies so that golden files do not change
// when the real catalog's wording does.
var (
	ruleNotPinned = &rules.Rule{ID: "image-not-pinned", Group: rules.Artifact, Severity: rules.High,
		Title: "Image is not pinned by digest", Rationale: "A tag is a movable pointer.",
		Remediation: "Pin the image by digest (name:tag@sha256:...)."}
	ruleWritable = &rules.Rule{ID: "writable-root-filesystem", Group: rules.Disposable, Severity: rules.Medium,
		Title: "Root filesystem is writable", Rationale: "Writes to the root filesystem make an instance differ from its image.",
		Remediation: "Set readOnlyRootFilesystem: true and mount an emptyDir where the program must write."}
	ruleHistory = &rules.Rule{ID: "no-revision-history", Group: rules.Rollback, Severity: rules.Medium,
		Title: "No revision history is kept", Rationale: "Nothing to roll back to.",
		Remediation: "Keep at least a few revisions."}
	ruleSSH = &rules.Rule{ID: "ssh-access", Group: rules.Baseline, Severity: rules.Critical,
		Title: "Instance accepts SSH", Rationale: "SSH invites changes in place.",
		Remediation: "Remove the SSH server and port 22; replace instances instead of logging in."}
	ruleLoad = &rules.Rule{ID: "load-error", Group: rules.Input, Severity: rules.High,
		Title: "Input could not be read", Rationale: "What cannot be parsed cannot be checked.",
		Remediation: "Fix the syntax error at the location shown."}
)

// fixtureReport is a small report that exercises every branch the formats
// have: several groups, a suppressed finding, a rule without findings, a
// location without column, one without line, and a path with a space.
func fixtureReport() *Report {
	at := func(file string, line, col int) model.Location {
		return model.Location{File: file, Line: line, Column: col}
	}
	fs := []rules.Finding{
		{Rule: ruleNotPinned, Severity: rules.High, Subject: "Deployment/shop/web container web", Location: at("deploy/web.yaml", 12, 16),
			Message: `image "nginx:1.27" is not pinned by digest`},
		{Rule: ruleWritable, Severity: rules.Medium, Subject: "Deployment/shop/web container web", Location: at("deploy/web.yaml", 20, 9),
			Message: "readOnlyRootFilesystem is not set", Suppressed: true, Justification: "the program writes only to a tmpfs"},
		{Rule: ruleSSH, Severity: rules.Critical, Subject: "service/my app", Location: at("deploy/my app/compose.yaml", 5, 0),
			Message: "port 22 is published"},
		{Rule: ruleLoad, Severity: rules.High, Subject: "broken.yaml", Location: at("broken.yaml", 0, 0),
			Message: "yaml: mapping values are not allowed in this context"},
		{Rule: ruleNotPinned, Severity: rules.High, Subject: "Dockerfile", Location: at("Dockerfile", 1, 6),
			Message: `base image "debian:12" is not pinned by digest`},
	}
	rules.Sort(fs)
	return &Report{
		Tool:     Tool{Name: "immutcheck", Version: "1.2.3", InformationURI: "https://github.com/immutcheck/immutcheck"},
		Rules:    []*rules.Rule{ruleNotPinned, ruleWritable, ruleHistory, ruleSSH, ruleLoad},
		Findings: fs,
		Files:    4,
		FailOn:   rules.High,
	}
}

// hostile holds strings that try to break out of their place in a report.
var hostile = []string{
	"web\x1b[2K\r\x1b[32mOK: nothing to report\x1b[0m",
	"line one\nline two\r\nline three",
	"nul\x00byte",
	"bad utf8 \xff\xfe\xc3",
	"bidi \u202egnp.exe\u202c and sep\u2028next",
	"c1 \u009b31m and del \x7f",
	"<xml> & \"quotes\" ]]> '",
	"\ufffe\uffff\ufeff",
}

// hostileReport puts every hostile string into every field a finding has.
func hostileReport() *Report {
	r := fixtureReport()
	var fs []rules.Finding
	for i, h := range hostile {
		fs = append(fs, rules.Finding{
			Rule: ruleNotPinned, Severity: rules.High, Subject: h, Message: h,
			Location: model.Location{File: "dir/" + h + ".yaml", Line: i + 1, Column: 2},
		}, rules.Finding{
			Rule: ruleWritable, Severity: rules.Medium, Subject: h, Message: h,
			Location: model.Location{File: h}, Suppressed: true, Justification: h,
		})
	}
	r.Findings = fs
	return r
}
