package report_test

import (
	"os"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/report"
	"github.com/immutcheck/immutcheck/rules"
)

// A text report: findings grouped by the question they answer, a fix under
// each, and a summary line. The subject's escape sequence is shown, not
// obeyed.
func ExampleWrite() {
	latest := &rules.Rule{
		ID: "image-latest-tag", Group: rules.Artifact, Severity: rules.High,
		Title:       "Image uses the latest tag",
		Remediation: "Reference a versioned tag and pin its digest.",
	}
	r := &report.Report{
		Tool:  report.Tool{Name: "immutcheck", Version: "dev"},
		Rules: []*rules.Rule{latest},
		Findings: []rules.Finding{{
			Rule:     latest,
			Severity: rules.High,
			Subject:  "Deployment/web\x1b[2K",
			Location: model.Location{File: "deploy/web.yaml", Line: 17, Column: 18},
			Message:  `image "nginx:latest" uses the latest tag`,
		}},
		Files:  1,
		FailOn: rules.High,
	}
	if err := report.Write(os.Stdout, report.Text, r, report.Options{}); err != nil {
		panic(err)
	}
	// Output:
	// artifact: Is what gets deployed a versioned, immutable, verified artifact?
	//   high     image-latest-tag  deploy/web.yaml:17:18  Deployment/web\x1b[2K: image "nginx:latest" uses the latest tag
	//            fix: Reference a versioned tag and pin its digest.
	//
	// 1 finding (1 high) in 1 file; failing at high and above
}
