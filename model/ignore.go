package model

// Ignore is a suppression written next to the declaration: a Kubernetes
// annotation (immutcheck.dev/ignore) or a "# immutcheck:ignore" comment.
type Ignore struct {
	// Rules are the rule IDs it suppresses.
	Rules []string
	// Reason is the justification; a suppression without one is itself
	// reported.
	Reason string
	// Line limits the suppression to findings on that line of Location's
	// file; 0 means the whole object.
	Line int
	// Location is where the suppression is written.
	Location Location
}

// Covers reports whether the suppression applies to a finding of rule at loc.
func (ig Ignore) Covers(rule string, loc Location) bool {
	if ig.Line != 0 && (loc.Line != ig.Line || loc.File != ig.Location.File) {
		return false
	}
	for _, r := range ig.Rules {
		if r == rule {
			return true
		}
	}
	return false
}
