package rules

import (
	"fmt"

	"github.com/immutcheck/immutcheck/model"
)

// Rule is one check of the catalog. Its ID is public and stable.
type Rule struct {
	// ID is kebab-case and never changes once published.
	ID string
	// Group is the question the rule helps answer.
	Group Group
	// Severity is the default severity of its findings.
	Severity Severity
	// Title is a one-line summary.
	Title string
	// Rationale explains why the condition breaks immutability.
	Rationale string
	// Remediation is the one-line fix shown with each finding.
	Remediation string
	// Principle is the immutable-infrastructure principle the rule enforces.
	Principle string
	// Check reports the rule's findings for one loaded file. It is nil for
	// rules that are reported by the evaluator itself (load-error,
	// invalid-suppression) or by live checks.
	Check func(*Pass)
}

// Finding is one place where a rule is broken.
type Finding struct {
	Rule     *Rule
	Severity Severity
	// Subject names what is wrong, e.g. "Deployment/shop/web container web".
	Subject  string
	Location model.Location
	Message  string
	// Object is the Kubernetes object the finding is about, when known
	// (live checks); PolicyReport output groups by it.
	Object *model.ObjectRef
	// Suppressed is true when a suppression with a reason covers the
	// finding; Justification is that reason.
	Suppressed    bool
	Justification string
}

// Options are the settings rules read.
type Options struct {
	// AllowedRegistries, when not empty, is the list of registries (or
	// registry/repository prefixes) images may come from.
	AllowedRegistries []string
	// InstanceTypes are resource types to treat as compute instances in
	// addition to the built-in list (see InstanceLike), e.g.
	// "aws_spot_instance_request" or a provider of your own.
	InstanceTypes []string
	// SSHPorts are the ports ssh-access reports when open to the
	// internet; empty means 22.
	SSHPorts []int
}

// Pass is what a rule's Check sees: one loaded file, the options, and a way
// to report.
type Pass struct {
	File    *model.File
	Options *Options

	rule     *Rule
	findings []Finding
	ignores  []model.Ignore
}

// Reportf reports a finding of the running rule at loc.
func (p *Pass) Reportf(subject string, ignores []model.Ignore, loc model.Location, format string, args ...any) {
	f := Finding{
		Rule:     p.rule,
		Severity: p.rule.Severity,
		Subject:  subject,
		Location: loc,
		Message:  fmt.Sprintf(format, args...),
	}
	for _, ig := range ignores {
		if ig.Reason != "" && ig.Covers(p.rule.ID, loc) {
			f.Suppressed, f.Justification = true, ig.Reason
			break
		}
	}
	p.findings = append(p.findings, f)
}

// Workloadf reports a finding on workload w.
func (p *Pass) Workloadf(w *model.Workload, loc model.Location, format string, args ...any) {
	p.Reportf(w.Subject(), w.Ignores, loc.Or(w.Location), format, args...)
	p.findings[len(p.findings)-1].Object = w.Object
}

// Containerf reports a finding on container c of workload w.
func (p *Pass) Containerf(w *model.Workload, c *model.Container, loc model.Location, format string, args ...any) {
	p.Reportf(c.Subject(w), w.Ignores, loc.Or(c.Location).Or(w.Location), format, args...)
	p.findings[len(p.findings)-1].Object = w.Object
}

// Buildf reports a finding on build b.
func (p *Pass) Buildf(b *model.Build, loc model.Location, format string, args ...any) {
	p.Reportf(b.Subject(), b.Ignores, loc.Or(b.Location), format, args...)
}
