package registry

import (
	"context"

	"fmt"
	"sort"
	"strings"

	"github.com/immutcheck/immutcheck/rules"
	"github.com/immutcheck/immutcheck/verify"
)

// statements are the verified in-toto statements of one digest by
// predicate type.
type statements map[string][]*verify.Statement

// checkAttestations verifies the DSSE attestations of r.Digest (cosign's
// sha256-<hex>.att image) with the trusted keys and checks the required
// provenance and vulnerability scan. An envelope that fails verification,
// does not parse or is about another digest counts as absent and is
// reported as signature-invalid; an attestation of another type never
// satisfies a required one (CVE-2022-35929).
func (v *Verifier) checkAttestations(ctx context.Context, r *Resolved, rp *report) bool {
	var atts []attachment
	if len(v.p.keys) > 0 {
		var err error
		if atts, err = v.fetchAttachments(ctx, r, "att"); err != nil {
			rp.failed("attestations", err)
			return false
		}
	}
	st := statements{}
	var errs []error
	for i, a := range atts {
		s, err := openAttestation(a, v.p.keys, r.Digest)
		if err != nil {
			errs = append(errs, fmt.Errorf("attestation %d: %w", i+1, err))
			continue
		}
		st[s.PredicateType] = append(st[s.PredicateType], s)
	}
	total := len(atts)
	if v.p.keyless != nil {
		n, berrs, ok := v.bundleAttestations(ctx, r, st, rp)
		if !ok {
			return false
		}
		total += n
		errs = append(errs, berrs...)
	}
	if len(errs) > 0 {
		rp.add(rules.SignatureInvalid, "%d of %d attestation(s) of %s fail verification: %s", len(errs), total, r.Digest, firstErrs(errs))
	}
	if v.p.provenance != "" {
		v.checkProvenance(st, r.Digest, rp)
	}
	if v.p.vuln {
		v.checkScan(st, r.Digest, rp)
	}
	return true
}

// bundleAttestations adds the statements of the DSSE sigstore bundles
// among the digest's referrers, verified against the trusted root and the
// keyless identities. It returns how many attestation bundles it saw and
// their errors; ok is false when they could not be fetched.
func (v *Verifier) bundleAttestations(ctx context.Context, r *Resolved, st statements, rp *report) (n int, errs []error, ok bool) {
	blobs, err := v.fetchBundles(ctx, r)
	if err != nil {
		rp.failed("attestation bundles", err)
		return 0, nil, false
	}
	for i, raw := range blobs {
		b, err := parseBundle(raw)
		if err != nil {
			n++
			errs = append(errs, fmt.Errorf("bundle %d: %w", i+1, err))
			continue
		}
		s, isDSSE, err := v.p.keyless.bundleStatement(b, r.Digest)
		if !isDSSE || (err == nil && s.PredicateType == cosignSignPredicate) {
			continue // a signature, not an attestation
		}
		n++
		if err != nil {
			errs = append(errs, fmt.Errorf("bundle %d: %w", i+1, err))
			continue
		}
		st[s.PredicateType] = append(st[s.PredicateType], s)
	}
	return n, errs, true
}

// openAttestation verifies one .att layer and parses its statement.
func openAttestation(a attachment, keys []verify.Key, digest string) (*verify.Statement, error) {
	if a.mediaType != dsseType {
		return nil, fmt.Errorf("media type %q is not a DSSE envelope: %w", a.mediaType, verify.ErrVerification)
	}
	payload, _, err := verify.OpenEnvelope(a.blob, keys)
	if err != nil {
		return nil, err
	}
	return verify.ParseStatement(payload, digest)
}

// types lists the predicate types present, for messages.
func (st statements) types() string {
	var ts []string
	for t := range st {
		ts = append(ts, t)
	}
	if len(ts) == 0 {
		return "none"
	}
	sort.Strings(ts)
	return strings.Join(ts, ", ")
}

// checkProvenance reports provenance-missing or provenance-mismatch.
func (v *Verifier) checkProvenance(st statements, digest string, rp *report) {
	var provs []*verify.Provenance
	var errs []error
	for _, t := range []string{verify.SLSAProvenanceV1, verify.SLSAProvenanceV02} {
		if v.p.provenance != "any" && v.p.provenance != t {
			continue
		}
		for _, s := range st[t] {
			p, err := verify.ParseProvenance(t, s.Predicate)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			provs = append(provs, p)
		}
	}
	want := "SLSA provenance"
	if v.p.provenance != "any" {
		want = v.p.provenance
	}
	if len(provs) == 0 {
		msg := fmt.Sprintf("no verified %s attestation for %s (verified attestation types: %s)", want, digest, st.types())
		if len(errs) > 0 {
			msg += "; rejected: " + firstErrs(errs)
		}
		rp.add(rules.ProvenanceMissing, "%s", msg)
		return
	}
	var first []verify.Mismatch
	for i, p := range provs {
		ms := v.p.expect.Check(p)
		if len(ms) == 0 {
			return
		}
		if i == 0 {
			first = ms
		}
	}
	parts := make([]string, len(first))
	for i, m := range first {
		parts[i] = m.String()
	}
	rp.add(rules.ProvenanceMismatch, "provenance of %s does not match the policy: %s", digest, strings.Join(parts, "; "))
}

// checkScan reports vulnerability-scan-missing, -stale and
// vulnerabilities-over-threshold from the newest verified scan.
func (v *Verifier) checkScan(st statements, digest string, rp *report) {
	var newest *verify.Scan
	var errs []error
	for _, s := range st[verify.CosignVulnV1] {
		sc, err := verify.ParseVulnScan(s.PredicateType, s.Predicate)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if newest == nil || sc.FinishedAt.After(newest.FinishedAt) {
			newest = sc
		}
	}
	if newest == nil {
		msg := fmt.Sprintf("no verified vulnerability scan attestation (%s) for %s (verified attestation types: %s)", verify.CosignVulnV1, digest, st.types())
		if len(errs) > 0 {
			msg += "; rejected: " + firstErrs(errs)
		}
		rp.add(rules.VulnerabilityScanMissing, "%s", msg)
		return
	}
	if age := v.now().Sub(newest.FinishedAt); v.p.maxScanAge > 0 && age > v.p.maxScanAge {
		rp.add(rules.VulnerabilityScanStale, "newest scan of %s finished %s (%s ago), older than the allowed %s",
			digest, newest.FinishedAt.UTC().Format("2006-01-02T15:04:05Z"), age.Round(timeUnit(age)), v.p.maxScanAge)
	}
	if v.p.threshold == "" {
		return
	}
	if newest.Counts == nil {
		rp.add(rules.VulnerabilitiesOverThreshold, "scan of %s by %s carries no result immutcheck can read, so it cannot be compared with the threshold %s", digest, newest.Scanner, v.p.threshold)
		return
	}
	if n := newest.AtOrAbove(v.p.threshold); n > 0 {
		rp.add(rules.VulnerabilitiesOverThreshold, "scan of %s lists %d vulnerabilit%s at or above %s (%s)", digest, n, plural(n, "y", "ies"), v.p.threshold, countsText(newest.Counts))
	}
}
