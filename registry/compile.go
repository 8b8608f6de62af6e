package registry

import (
	"fmt"
	"io"
	"regexp"
	"time"

	"github.com/immutcheck/immutcheck/internal/regfile"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/verify"
)

// compiled is a checked Policy with its trust material loaded.
type compiled struct {
	trusted      []string
	keys         []verify.Key
	keyless      *keyless // nil without keyless identities
	requireSig   bool
	provenance   string // "", "any", v0.2 or v1 predicate type
	expect       model.ProvenancePolicy
	vuln         bool
	maxScanAge   time.Duration
	threshold    string
	previous     int
	needAttested bool
}

// attestation type names, as cosign's --type spells them.
var provenanceTypes = map[string]string{
	"slsaprovenance":         "any",
	"slsaprovenance02":       verify.SLSAProvenanceV02,
	"slsaprovenance1":        verify.SLSAProvenanceV1,
	verify.SLSAProvenanceV02: verify.SLSAProvenanceV02,
	verify.SLSAProvenanceV1:  verify.SLSAProvenanceV1,
}

// Compile checks the policy once and loads its keys and trusted root. It
// returns warnings for settings that are valid but weak (a subject regexp
// that matches everything).
func (p Policy) Compile() (*compiled, []string, error) {
	c := &compiled{trusted: p.TrustedRegistries, expect: p.Provenance, maxScanAge: time.Duration(p.MaxScanAge), previous: p.PreviousRevisions}
	var warns []string
	for _, path := range p.Keys {
		b, err := readBounded(path, 64<<10)
		if err != nil {
			return nil, nil, fmt.Errorf("policy key: %w", err)
		}
		k, err := verify.ParseKey(path, b)
		if err != nil {
			return nil, nil, fmt.Errorf("policy: %w", err)
		}
		c.keys = append(c.keys, k)
	}
	if len(p.Keyless) > 0 {
		kl, w, err := compileKeyless(p.Keyless, p.TrustedRoot)
		if err != nil {
			return nil, nil, err
		}
		c.keyless, warns = kl, append(warns, w...)
	} else if p.TrustedRoot != "" {
		return nil, nil, fmt.Errorf("policy: trusted-root is set but no keyless identity is")
	}
	c.requireSig = len(c.keys) > 0 || c.keyless != nil
	for _, t := range p.Attestations {
		switch {
		case provenanceTypes[t] != "":
			c.provenance = provenanceTypes[t]
		case t == "vuln" || t == verify.CosignVulnV1:
			c.vuln = true
		default:
			return nil, nil, fmt.Errorf("policy: attestation type %q is not supported (want slsaprovenance, slsaprovenance02, slsaprovenance1 or vuln)", t)
		}
	}
	if c.provenance == "" && !p.Provenance.Empty() {
		c.provenance = "any"
	}
	if p.SeverityThreshold != "" {
		th, err := model.ParseScanSeverity(p.SeverityThreshold)
		if err != nil {
			return nil, nil, fmt.Errorf("policy: %w", err)
		}
		c.threshold = th
	}
	if c.maxScanAge > 0 || c.threshold != "" {
		c.vuln = true
	}
	if p.PreviousRevisions < 0 || p.PreviousRevisions > 100 {
		return nil, nil, fmt.Errorf("policy: previous-revisions must be between 0 and 100")
	}
	c.needAttested = c.provenance != "" || c.vuln
	if c.needAttested && !c.requireSig {
		return nil, nil, fmt.Errorf("policy: attestations are required but no key or keyless identity is trusted to sign them")
	}
	return c, warns, nil
}

// compileIdentityRegexp anchors a subject regexp and warns when it matches
// anything (RELIABILITY.md case 42).
func compileIdentityRegexp(s string) (*regexp.Regexp, string, error) {
	re, err := regexp.Compile("^(?:" + s + ")$")
	if err != nil {
		return nil, "", fmt.Errorf("policy: subject-regexp %q: %w", s, err)
	}
	if re.MatchString("") || re.MatchString("https://attacker.invalid/x@evil") {
		return re, fmt.Sprintf("subject-regexp %q matches any identity", s), nil
	}
	return re, "", nil
}

// readBounded reads a small local regular file, refusing one over max
// bytes.
func readBounded(path string, max int64) ([]byte, error) {
	f, _, err := regfile.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s is larger than %d bytes: %w", path, max, ErrLimitExceeded)
	}
	return b, nil
}
