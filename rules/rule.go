package rules

import (
	"fmt"
	"time"

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
	// Reads says which parts of the model the rule judges: a command
	// runs, and its report lists, the rules that read what it provides.
	Reads Source
	// Locked, when not empty, says why the rule can be neither disabled
	// nor lowered in severity: what could not be checked, or a forged
	// signature, must never pass.
	Locked string
	// CouldNotCheck marks rules whose findings mean that something was
	// not checked: any of them makes the verdict "could not check".
	CouldNotCheck bool
	// Check reports the rule's findings for one model.File. It is nil only
	// for rules the evaluator reports from the file's Problems
	// (load-error, unknown-field, cluster-unchecked, drift-unchecked,
	// image-check-failed) and its suppressions (invalid-suppression).
	Check func(*Pass)
}

// Source is a set of parts of the model that rules read and commands
// provide.
type Source uint8

// Parts of the model.
const (
	// Declarations are files: workloads, builds, planned changes,
	// resources and reconcilers.
	Declarations Source = 1 << iota
	// Pods are Kubernetes pods and nodes as the API server reports them.
	Pods
	// Containers are containers read through their runtime, and hosts
	// read from their filesystem.
	Containers
	// Images are what registries say about declared images.
	Images
	// AnyInstance is every kind of running instance.
	AnyInstance = Pods | Containers
)

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
	// Registry is what the registry policy expects of the images a
	// registry was asked about.
	Registry RegistryOptions
	// MaxAge is the age over which instance-too-old reports an instance;
	// zero turns the rule off.
	MaxAge time.Duration
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

// Instancef reports a finding on instance in; detail, when not empty, is
// appended to its subject (e.g. "container web"). It returns the finding so
// that a check can raise its severity for a worse case of the rule.
func (p *Pass) Instancef(in *model.Instance, detail string, loc model.Location, format string, args ...any) *Finding {
	subject := in.Subject
	if detail != "" {
		subject += " " + detail
	}
	if loc.File == "" {
		loc = in.Location
	}
	p.Reportf(subject, in.Ignores, loc, format, args...)
	f := &p.findings[len(p.findings)-1]
	f.Object = in.Object
	return f
}

// Imagef reports a finding on image check c.
func (p *Pass) Imagef(c *model.ImageCheck, format string, args ...any) *Finding {
	subject := c.Subject
	if subject == "" {
		subject = "image " + c.Artifact.Ref
	}
	p.Reportf(subject, nil, c.Artifact.Location, format, args...)
	f := &p.findings[len(p.findings)-1]
	f.Object = c.Object
	return f
}

// Buildf reports a finding on build b.
func (p *Pass) Buildf(b *model.Build, loc model.Location, format string, args ...any) {
	p.Reportf(b.Subject(), b.Ignores, loc.Or(b.Location), format, args...)
}
