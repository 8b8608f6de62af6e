package rules

import (
	"fmt"
	"sort"

	"github.com/immutcheck/immutcheck/model"
)

// Settings change the catalog for one run.
type Settings struct {
	// Disabled rule IDs are not run.
	Disabled []string
	// Severity overrides the default severity of rules by ID.
	Severity map[string]Severity
	// Options are passed to every rule.
	Options Options
}

// Evaluator runs a catalog of rules over loaded files. It is safe for
// concurrent use.
type Evaluator struct {
	rules    []*Rule
	byID     map[string]*Rule
	disabled map[string]bool
	severity map[string]Severity
	opts     Options
}

// NewEvaluator checks settings against the catalog; an unknown rule ID is an
// error, never silently ignored.
func NewEvaluator(catalog []*Rule, s Settings) (*Evaluator, error) {
	e := &Evaluator{rules: catalog, byID: map[string]*Rule{}, disabled: map[string]bool{}, severity: map[string]Severity{}, opts: s.Options}
	for _, r := range catalog {
		e.byID[r.ID] = r
	}
	for _, id := range s.Disabled {
		r := e.byID[id]
		if r == nil {
			return nil, fmt.Errorf("disable rule %q: no such rule", id)
		}
		if r.Locked != "" {
			return nil, fmt.Errorf("disable rule %q: it cannot be disabled: %s", id, r.Locked)
		}
		e.disabled[id] = true
	}
	for id, sev := range s.Severity {
		r := e.byID[id]
		if r == nil {
			return nil, fmt.Errorf("set severity of rule %q: no such rule", id)
		}
		if r.Locked != "" && sev < r.Severity {
			return nil, fmt.Errorf("set severity of rule %q to %s: it cannot be lowered: %s", id, sev, r.Locked)
		}
		e.severity[id] = sev
	}
	return e, nil
}

// Rules returns the enabled rules that read any part of provided, in
// catalog order: the rules a command that provides those parts runs, and
// that its report lists.
func (e *Evaluator) Rules(provided Source) []*Rule {
	var out []*Rule
	for _, r := range e.rules {
		if r.Reads&provided != 0 && !e.disabled[r.ID] {
			out = append(out, r)
		}
	}
	return out
}

// Enabled reports whether the rule with the given ID is in the catalog and
// not disabled.
func (e *Evaluator) Enabled(id string) bool { return e.byID[id] != nil && !e.disabled[id] }

// problemRules maps each kind of load problem to the rule that reports it.
var problemRules = map[model.ProblemKind]*Rule{
	model.Rejected:      LoadError,
	model.UnknownField:  UnknownFieldRule,
	model.ClusterUnread: ClusterUnchecked,
	model.TreeUnread:    DriftUnchecked,
	model.ImageUnread:   ImageCheckFailed,
}

// Rule returns the rule with the given ID, or nil.
func (e *Evaluator) Rule(id string) *Rule { return e.byID[id] }

// Evaluate runs every enabled rule over f and returns the findings sorted by
// location and rule.
func (e *Evaluator) Evaluate(f *model.File) []Finding {
	p := &Pass{File: f, Options: &e.opts}
	for _, pr := range f.Problems {
		rule := problemRules[pr.Kind]
		if rule == nil {
			rule = LoadError // a kind this evaluator does not know is never clean
		}
		p.rule = rule
		p.Reportf(problemSubject(f, pr), nil, pr.Location, "%v", pr.Err)
		p.findings[len(p.findings)-1].Object = pr.Ref
	}
	e.checkIgnores(p)
	for _, r := range e.rules {
		if r.Check == nil {
			continue
		}
		p.rule = r
		r.Check(p)
	}
	out := p.findings[:0]
	for _, fd := range p.findings {
		if e.disabled[fd.Rule.ID] {
			continue
		}
		if sev, ok := e.severity[fd.Rule.ID]; ok {
			fd.Severity = sev
		}
		out = append(out, fd)
	}
	Sort(out)
	return out
}

func problemSubject(f *model.File, pr model.Problem) string {
	if pr.Object != "" {
		return pr.Object
	}
	return f.Path
}

// checkIgnores reports suppressions that name no known rule or give no
// reason. Such a suppression does not take effect.
func (e *Evaluator) checkIgnores(p *Pass) {
	p.rule = InvalidSuppression
	check := func(subject string, igs []model.Ignore) {
		for _, ig := range igs {
			if ig.Reason == "" {
				p.Reportf(subject, nil, ig.Location, "suppression of %v gives no reason; it is not applied", ig.Rules)
			}
			if len(ig.Rules) == 0 {
				p.Reportf(subject, nil, ig.Location, "suppression names no rule")
			}
			for _, id := range ig.Rules {
				if e.byID[id] == nil {
					p.Reportf(subject, nil, ig.Location, "suppression names unknown rule %q", id)
				}
			}
		}
	}
	for _, w := range p.File.Workloads {
		check(w.Subject(), w.Ignores)
	}
	for _, b := range p.File.Builds {
		check(b.Subject(), b.Ignores)
	}
	for _, c := range p.File.Changes {
		check(c.Subject(), c.Ignores)
	}
	for _, r := range p.File.Resources {
		check(r.Subject(), r.Ignores)
	}
	for _, r := range p.File.Reconcilers {
		check(r.Subject(), r.Ignores)
	}
	for _, in := range p.File.Instances {
		check(in.Subject, in.Ignores)
	}
}

// Sort orders findings by file, line, column, rule and subject, the order
// every report uses.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Location.File != b.Location.File {
			return a.Location.File < b.Location.File
		}
		if a.Location.Line != b.Location.Line {
			return a.Location.Line < b.Location.Line
		}
		if a.Location.Column != b.Location.Column {
			return a.Location.Column < b.Location.Column
		}
		if a.Rule.ID != b.Rule.ID {
			return a.Rule.ID < b.Rule.ID
		}
		return a.Subject < b.Subject
	})
}
