package report

import "github.com/immutcheck/immutcheck/rules"

// Summary counts a report's findings. It is computed in one place, by
// Report.Summary, so that every format shows the same numbers.
type Summary struct {
	// Total is the number of findings that are not suppressed.
	Total int
	// BySeverity counts the findings that are not suppressed, per severity.
	BySeverity SeverityCounts
	// ByGroup counts the findings that are not suppressed, per rule group.
	// Every group of rules.Groups is present, with zero when it has none.
	ByGroup map[rules.Group]int
	// Suppressed is the number of findings a justified suppression covers.
	Suppressed int
	// Files is the number of inputs checked.
	Files int
	// FailOn is the threshold in effect.
	FailOn rules.Severity
	// Failing is the number of findings, not suppressed, at or above FailOn.
	Failing int
}

// SeverityCounts holds one count per severity.
type SeverityCounts struct {
	Critical, High, Medium, Low, Info int
}

// add counts one finding of severity s.
func (c *SeverityCounts) add(s rules.Severity) {
	switch s {
	case rules.Critical:
		c.Critical++
	case rules.High:
		c.High++
	case rules.Medium:
		c.Medium++
	case rules.Low:
		c.Low++
	case rules.Info:
		c.Info++
	}
}

// Get returns the count for severity s.
func (c SeverityCounts) Get(s rules.Severity) int {
	switch s {
	case rules.Critical:
		return c.Critical
	case rules.High:
		return c.High
	case rules.Medium:
		return c.Medium
	case rules.Low:
		return c.Low
	case rules.Info:
		return c.Info
	}
	return 0
}

// Summary counts the findings of r.
func (r *Report) Summary() Summary {
	s := Summary{ByGroup: map[rules.Group]int{}, Files: r.Files, FailOn: r.FailOn}
	for _, g := range rules.Groups {
		s.ByGroup[g] = 0
	}
	for _, f := range r.Findings {
		if f.Suppressed {
			s.Suppressed++
			continue
		}
		s.Total++
		s.BySeverity.add(f.Severity)
		s.ByGroup[f.Rule.Group]++
		if f.Severity >= r.FailOn {
			s.Failing++
		}
	}
	return s
}

// severitiesDesc lists severities from most to least severe, the order in
// which summaries name them.
var severitiesDesc = []rules.Severity{rules.Critical, rules.High, rules.Medium, rules.Low, rules.Info}

// groupOrder returns the groups of r's rules and findings: those of
// rules.Groups in that order, then any other group in order of appearance.
func groupOrder(r *Report) []rules.Group {
	seen := map[rules.Group]bool{}
	var extra []rules.Group
	note := func(g rules.Group) {
		if !seen[g] {
			seen[g] = true
			extra = append(extra, g)
		}
	}
	for _, rl := range r.Rules {
		note(rl.Group)
	}
	for _, f := range r.Findings {
		note(f.Rule.Group)
	}
	var out []rules.Group
	known := map[rules.Group]bool{}
	for _, g := range rules.Groups {
		known[g] = true
		if seen[g] {
			out = append(out, g)
		}
	}
	for _, g := range extra {
		if !known[g] {
			out = append(out, g)
		}
	}
	return out
}

// catalog returns the rules to describe: r.Rules, then any rule a finding
// names that r.Rules lacks, so that every finding's rule has an index.
func catalog(r *Report) ([]*rules.Rule, map[string]int) {
	out := make([]*rules.Rule, 0, len(r.Rules))
	index := map[string]int{}
	add := func(rl *rules.Rule) {
		if rl == nil {
			return
		}
		if _, ok := index[rl.ID]; !ok {
			index[rl.ID] = len(out)
			out = append(out, rl)
		}
	}
	for _, rl := range r.Rules {
		add(rl)
	}
	for _, f := range r.Findings {
		add(f.Rule)
	}
	return out, index
}
