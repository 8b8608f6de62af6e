package rules

import (
	"fmt"
	"strings"
)

// Severity orders findings; a CI gate fails on findings at or above a level.
type Severity int

// Severities from least to most severe.
const (
	Info Severity = iota
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"info", "low", "medium", "high", "critical"}

// String returns the lowercase name used in every output format.
func (s Severity) String() string {
	if s < Info || s > Critical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity parses a severity name; it also accepts "none", which is
// above every severity (nothing fails).
func ParseSeverity(s string) (Severity, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	for i, n := range severityNames {
		if n == v {
			return Severity(i), nil
		}
	}
	if v == "none" {
		return None, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want critical, high, medium, low, info or none)", s)
}

// None is a fail-on threshold above every severity.
const None Severity = Critical + 1
