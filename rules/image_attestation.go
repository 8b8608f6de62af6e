package rules

import (
	"fmt"
	"strings"
	"time"

	"github.com/immutcheck/immutcheck/model"
)

// checkProvenanceMissing reports images without the SLSA provenance the
// policy requires.
func checkProvenanceMissing(p *Pass) {
	eachChecked(p, func(c *model.ImageCheck) {
		at := c.Attestations
		if at == nil || at.Provenance == nil || len(at.Provenance.Found) > 0 {
			return
		}
		pv := at.Provenance
		msg := "no verified " + pv.Want + " attestation for " + c.Digest + " (verified attestation types: " + typesText(at.Types) + ")"
		if len(pv.Rejected) > 0 {
			msg += "; rejected: " + firstErrs(pv.Rejected)
		}
		p.Imagef(c, "%s", msg)
	})
}

// checkProvenanceMismatch reports images none of whose provenance says
// what the policy expects; the message lists how the first differs.
func checkProvenanceMismatch(p *Pass) {
	want := p.Options.Registry.Provenance
	eachChecked(p, func(c *model.ImageCheck) {
		if c.Attestations == nil || c.Attestations.Provenance == nil {
			return
		}
		var first []model.Mismatch
		for i, pv := range c.Attestations.Provenance.Found {
			ms := want.Check(&pv)
			if len(ms) == 0 {
				return
			}
			if i == 0 {
				first = ms
			}
		}
		if len(first) == 0 {
			return
		}
		parts := make([]string, len(first))
		for i, m := range first {
			parts[i] = m.String()
		}
		p.Imagef(c, "provenance of %s does not match the policy: %s", c.Digest, strings.Join(parts, "; "))
	})
}

// scanOf returns the scan facts of c, nil when no scan was asked for.
func scanOf(c *model.ImageCheck) *model.ScanFound {
	if c.Attestations == nil {
		return nil
	}
	return c.Attestations.Scan
}

// checkScanMissing reports images without the vulnerability scan the
// policy requires.
func checkScanMissing(p *Pass) {
	eachChecked(p, func(c *model.ImageCheck) {
		sc := scanOf(c)
		if sc == nil || sc.Newest != nil {
			return
		}
		msg := "no verified vulnerability scan attestation (" + sc.PredicateType + ") for " + c.Digest + " (verified attestation types: " + typesText(c.Attestations.Types) + ")"
		if len(sc.Rejected) > 0 {
			msg += "; rejected: " + firstErrs(sc.Rejected)
		}
		p.Imagef(c, "%s", msg)
	})
}

// checkScanStale reports images whose newest scan is older than allowed.
func checkScanStale(p *Pass) {
	max := p.Options.Registry.MaxScanAge
	if max <= 0 {
		return
	}
	eachChecked(p, func(c *model.ImageCheck) {
		sc := scanOf(c)
		if sc == nil || sc.Newest == nil || sc.Newest.Age <= max {
			return
		}
		n := sc.Newest
		p.Imagef(c, "newest scan of %s finished %s (%s ago), older than the allowed %s",
			c.Digest, n.FinishedAt.UTC().Format("2006-01-02T15:04:05Z"), n.Age.Round(ageUnit(n.Age)), max)
	})
}

// checkOverThreshold reports images whose newest scan lists
// vulnerabilities at or above the threshold, or cannot be compared with it.
func checkOverThreshold(p *Pass) {
	th := p.Options.Registry.SeverityThreshold
	if th == "" {
		return
	}
	eachChecked(p, func(c *model.ImageCheck) {
		sc := scanOf(c)
		if sc == nil || sc.Newest == nil {
			return
		}
		n := sc.Newest
		if n.Counts == nil {
			p.Imagef(c, "scan of %s by %s carries no result immutcheck can read, so it cannot be compared with the threshold %s", c.Digest, n.Scanner, th)
			return
		}
		if k := model.CountAtOrAbove(n.Counts, th); k > 0 {
			ending := "ies"
			if k == 1 {
				ending = "y"
			}
			p.Imagef(c, "scan of %s lists %d vulnerabilit%s at or above %s (%s)", c.Digest, k, ending, th, countsText(n.Counts))
		}
	})
}

// typesText lists predicate types for messages.
func typesText(ts []string) string {
	if len(ts) == 0 {
		return "none"
	}
	return strings.Join(ts, ", ")
}

// countsText renders severity counts from most to least severe.
func countsText(c map[string]int) string {
	var parts []string
	for _, s := range []string{"CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"} {
		if c[s] > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d", s, c[s]))
		}
	}
	return strings.Join(parts, ", ")
}

// ageUnit is the rounding unit for an age in messages.
func ageUnit(d time.Duration) time.Duration {
	if d > 48*time.Hour {
		return time.Hour
	}
	return time.Minute
}
