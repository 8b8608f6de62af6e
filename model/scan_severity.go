package model

import (
	"fmt"
	"strings"
)

// scanSeverityRank orders scanner severities (the names Trivy and Grype
// write).
var scanSeverityRank = map[string]int{"UNKNOWN": 0, "LOW": 1, "MEDIUM": 2, "HIGH": 3, "CRITICAL": 4}

// ParseScanSeverity checks a threshold name and returns it upper-case.
func ParseScanSeverity(s string) (string, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	if _, ok := scanSeverityRank[u]; !ok {
		return "", fmt.Errorf("unknown vulnerability severity %q (want critical, high, medium, low or unknown)", s)
	}
	return u, nil
}

// ScanSeverity reports whether sev is an upper-case scanner severity
// name.
func ScanSeverity(sev string) bool {
	_, ok := scanSeverityRank[sev]
	return ok
}

// CountAtOrAbove returns how many vulnerabilities of counts (by upper-case
// severity) are at or above threshold (an upper-case name from
// ParseScanSeverity).
func CountAtOrAbove(counts map[string]int, threshold string) int {
	n := 0
	for sev, c := range counts {
		if scanSeverityRank[sev] >= scanSeverityRank[threshold] {
			n += c
		}
	}
	return n
}
