package report

import (
	"time"

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
	web := &model.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web"}
	fs := []rules.Finding{
		{Rule: ruleNotPinned, Severity: rules.High, Subject: "Deployment/shop/web container web", Location: at("deploy/web.yaml", 12, 16),
			Message: `image "nginx:1.27" is not pinned by digest`, Object: web},
		{Rule: ruleWritable, Severity: rules.Medium, Subject: "Deployment/shop/web container web", Location: at("deploy/web.yaml", 20, 9),
			Message: "readOnlyRootFilesystem is not set", Suppressed: true, Justification: "the program writes only to a tmpfs", Object: web},
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
		Time:     time.Date(2026, 11, 20, 9, 30, 0, 123456789, time.UTC),
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

// Fixture rules of the live cluster audit.
var (
	ruleExec = &rules.Rule{ID: "exec-session", Group: rules.Drift, Severity: rules.Medium,
		Title: "Interactive session opened in a running pod", Rationale: "Sessions edit instances by hand.",
		Remediation: "Replace the pods that were entered."}
	ruleNodeSkew = &rules.Rule{ID: "node-image-skew", Group: rules.Drift, Severity: rules.Medium,
		Title: "Nodes of one pool run different versions", Rationale: "Nodes were patched in place.",
		Remediation: "Roll the node pool to one machine image version."}
)

// liveFixtureReport is fixtureReport plus findings of a live cluster audit:
// one on a pod of a second namespace, below the fail-on threshold, and one
// on a cluster-scoped node.
func liveFixtureReport() *Report {
	r := fixtureReport()
	r.Rules = append(r.Rules, ruleExec, ruleNodeSkew)
	r.Findings = append(r.Findings,
		rules.Finding{Rule: ruleExec, Severity: rules.Medium, Subject: "Pod/payments/ledger-0",
			Location: model.Location{File: "/var/log/kube-audit.log", Line: 9},
			Message:  `exec by "admin" in container "ledger": /bin/sh at 2026-11-20T12:00:00Z (response 101)`,
			Object:   &model.ObjectRef{APIVersion: "v1", Kind: "Pod", Namespace: "payments", Name: "ledger-0"}},
		rules.Finding{Rule: ruleNodeSkew, Severity: rules.Medium, Subject: "Node/pool-a-2",
			Location: model.Location{File: "cluster/Node/pool-a-2"},
			Message:  `kernelVersion "6.1.0-28" differs from "6.1.0-30" on the other nodes of pool "a"`,
			Object:   &model.ObjectRef{APIVersion: "v1", Kind: "Node", Name: "pool-a-2", UID: "3f1c2a9e-0000-4000-8000-000000000002"}},
	)
	rules.Sort(r.Findings)
	return r
}
