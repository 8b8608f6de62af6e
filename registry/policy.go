package registry

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/immutcheck/immutcheck/model"
)

// Policy says what an image must prove. It is the `registry:` section of
// .immutcheck.yaml; command-line flags add to it. Decode it strictly
// (unknown fields are errors) and check it once with Compile.
type Policy struct {
	// TrustedRegistries, when set, lists the registries (or
	// registry/repository prefixes) images may come from. Images from
	// elsewhere are reported as registry-not-allowed and never fetched.
	TrustedRegistries []string `json:"trusted-registries,omitempty"`
	// Keys are files holding PEM public keys (cosign.pub) trusted to sign
	// images and attestations.
	Keys []string `json:"keys,omitempty"`
	// Keyless lists the certificate identities trusted to sign with
	// sigstore bundles; TrustedRoot is the trusted_root.json they chain to.
	Keyless     []Identity `json:"keyless,omitempty"`
	TrustedRoot string     `json:"trusted-root,omitempty"`
	// Attestations lists the attestation types every image must carry:
	// slsaprovenance (v0.2 or v1), slsaprovenance02, slsaprovenance1, vuln.
	Attestations []string `json:"attestations,omitempty"`
	// Provenance is what the SLSA provenance must say.
	Provenance model.ProvenancePolicy `json:"provenance,omitempty"`
	// MaxScanAge is the oldest vulnerability scan accepted ("168h", "7d").
	MaxScanAge Duration `json:"max-scan-age,omitempty"`
	// SeverityThreshold is the lowest scanner severity that fails the
	// image (critical, high, medium, low).
	SeverityThreshold string `json:"severity-threshold,omitempty"`
	// PreviousRevisions is how many earlier releases (semver tags below the
	// deployed one) must still resolve and pass the signature policy.
	PreviousRevisions int `json:"previous-revisions,omitempty"`
	// InsecureRegistries may be reached over plain HTTP; no other may.
	InsecureRegistries []string `json:"insecure-registries,omitempty"`
}

// Identity is a keyless signer: the OIDC issuer and the certificate
// subject (exact) or a regular expression it must match in full.
type Identity struct {
	Issuer        string `json:"issuer"`
	Subject       string `json:"subject,omitempty"`
	SubjectRegExp string `json:"subject-regexp,omitempty"`
}

// ParsePolicy decodes a policy from YAML or JSON, rejecting unknown fields.
func ParsePolicy(data []byte) (Policy, error) {
	var p Policy
	if err := yaml.UnmarshalStrict(data, &p); err != nil {
		return Policy{}, fmt.Errorf("parse registry policy: %w", err)
	}
	return p, nil
}

// Duration is a time.Duration written as "36h", "90m" or "7d".
type Duration time.Duration

// UnmarshalJSON parses a duration string.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a string like \"7d\" or \"36h\": %w", err)
	}
	v, err := ParseDuration(s)
	*d = Duration(v)
	return err
}

// MarshalJSON writes the duration in Go syntax.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

// ParseDuration parses a Go duration or a whole number of days ("7d").
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 36500 {
			return 0, fmt.Errorf("duration %q: want a number of days", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("duration %q: want e.g. 7d or 36h", s)
	}
	return v, nil
}
