package rules

// Verdict is what a run's findings mean for its caller: the one place that
// decides it, for every command.
type Verdict int

// Verdicts, from best to worst.
const (
	// Clean: nothing unsuppressed at or above the fail-on severity.
	Clean Verdict = iota
	// Failed: an unsuppressed finding at or above the fail-on severity.
	Failed
	// CouldNotCheck: something was not checked (a finding of a rule with
	// CouldNotCheck set, suppressed or not). It is never clean.
	CouldNotCheck
)

// Decide returns the verdict of findings at the fail-on threshold failOn.
func Decide(findings []Finding, failOn Severity) Verdict {
	v := Clean
	for _, f := range findings {
		if f.Rule.CouldNotCheck {
			return CouldNotCheck
		}
		if !f.Suppressed && f.Severity >= failOn {
			v = Failed
		}
	}
	return v
}
