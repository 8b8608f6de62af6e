package verify

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/immutcheck/immutcheck/model"
)

// CosignVulnV1 is the predicate type `cosign attest --type vuln` writes.
const CosignVulnV1 = "https://cosign.sigstore.dev/attestation/vuln/v1"

// maxVulnerabilities bounds the vulnerabilities counted in one report.
const maxVulnerabilities = 1 << 20

// Scan is what the policy reads from a vulnerability-scan predicate.
type Scan struct {
	// Scanner is the scanner URI or name, for messages.
	Scanner string
	// FinishedAt is when the scan finished (metadata.scanFinishedOn).
	FinishedAt time.Time
	// Counts holds vulnerabilities by upper-case severity (CRITICAL, HIGH,
	// MEDIUM, LOW, UNKNOWN). Nil when the scan carries no result the
	// package can read.
	Counts map[string]int
}

// cosignVuln is cosign's vuln predicate. Written by hand: its Go type lives
// in cosign/v2's attestation package, which is not worth the dependency for
// four fields.
type cosignVuln struct {
	Scanner struct {
		URI     string          `json:"uri"`
		Version string          `json:"version"`
		Result  json.RawMessage `json:"result"`
	} `json:"scanner"`
	Metadata struct {
		ScanStartedOn  time.Time `json:"scanStartedOn"`
		ScanFinishedOn time.Time `json:"scanFinishedOn"`
	} `json:"metadata"`
}

// trivyReport is the part of Trivy's JSON report (schema version 2) that
// counts vulnerabilities; `trivy image --format cosign-vuln` puts it in the
// predicate's scanner.result.
type trivyReport struct {
	SchemaVersion int `json:"SchemaVersion"`
	Results       []struct {
		Vulnerabilities []struct {
			Severity string `json:"Severity"`
		} `json:"Vulnerabilities"`
	} `json:"Results"`
}

// IsVulnScan reports whether a predicate type is a vulnerability scan.
func IsVulnScan(predicateType string) bool { return predicateType == CosignVulnV1 }

// ParseVulnScan reads a cosign vuln predicate. The scan time is required;
// the result is counted when it is a Trivy report.
func ParseVulnScan(predicateType string, predicate []byte) (*Scan, error) {
	if !IsVulnScan(predicateType) {
		return nil, fmt.Errorf("predicate type %q is not a vulnerability scan: %w", predicateType, ErrVerification)
	}
	var p cosignVuln
	if err := decodeOne(predicate, &p); err != nil {
		return nil, fmt.Errorf("parse vuln predicate: %w: %w", ErrVerification, err)
	}
	if p.Metadata.ScanFinishedOn.IsZero() {
		return nil, fmt.Errorf("vuln predicate has no metadata.scanFinishedOn: %w", ErrVerification)
	}
	s := &Scan{Scanner: p.Scanner.URI, FinishedAt: p.Metadata.ScanFinishedOn}
	if s.Scanner == "" {
		s.Scanner = "unnamed scanner"
	}
	counts, err := countTrivy(p.Scanner.Result)
	if err != nil {
		return nil, err
	}
	s.Counts = counts
	return s, nil
}

// countTrivy counts a Trivy report by severity; nil, nil when result is
// absent or not a Trivy report.
func countTrivy(result json.RawMessage) (map[string]int, error) {
	if len(result) == 0 || string(result) == "null" {
		return nil, nil
	}
	var r trivyReport
	if err := json.Unmarshal(result, &r); err != nil || r.SchemaVersion == 0 {
		return nil, nil
	}
	counts := map[string]int{}
	n := 0
	for _, res := range r.Results {
		for _, v := range res.Vulnerabilities {
			if n++; n > maxVulnerabilities {
				return nil, fmt.Errorf("scan lists more than %d vulnerabilities: %w", maxVulnerabilities, ErrLimitExceeded)
			}
			sev := strings.ToUpper(strings.TrimSpace(v.Severity))
			if !model.ScanSeverity(sev) {
				sev = "UNKNOWN"
			}
			counts[sev]++
		}
	}
	return counts, nil
}

// AtOrAbove returns how many vulnerabilities have severity at or above
// threshold (an upper-case name from ParseScanSeverity).
func (s *Scan) AtOrAbove(threshold string) int { return model.CountAtOrAbove(s.Counts, threshold) }
