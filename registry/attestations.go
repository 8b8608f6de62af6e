package registry

import (
	"context"
	"fmt"
	"sort"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/verify"
)

// statements are the verified in-toto statements of one digest by
// predicate type.
type statements map[string][]*verify.Statement

// checkAttestations verifies the DSSE attestations of r.Digest (cosign's
// sha256-<hex>.att image) with the trusted keys and reads the required
// provenance and vulnerability scan from the verified ones. An envelope
// that fails verification, does not parse or is about another digest is
// rejected (and counts as absent); an attestation of another type never
// satisfies a required one (CVE-2022-35929). It returns nil with a
// problem on k when the attestations could not be fetched.
func (v *Verifier) checkAttestations(ctx context.Context, r *Resolved, k *check, subject string, loc model.Location) *model.Attestations {
	var atts []attachment
	if len(v.p.keys) > 0 {
		var err error
		if atts, err = v.fetchAttachments(ctx, r, "att"); err != nil {
			k.failed(subject, loc, "attestations", err)
			return nil
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
		n, berrs, err := v.bundleAttestations(ctx, r, st)
		if err != nil {
			k.failed(subject, loc, "attestation bundles", err)
			return nil
		}
		total += n
		errs = append(errs, berrs...)
	}
	out := &model.Attestations{Total: total, Rejected: messages(errs), Types: st.types()}
	if v.p.provenance != "" {
		out.Provenance = v.provenance(st)
	}
	if v.p.vuln {
		out.Scan = v.scan(st)
	}
	return out
}

// bundleAttestations adds the statements of the DSSE sigstore bundles
// among the digest's referrers, verified against the trusted root and the
// keyless identities. It returns how many attestation bundles it saw and
// their errors; err when they could not be fetched.
func (v *Verifier) bundleAttestations(ctx context.Context, r *Resolved, st statements) (n int, errs []error, err error) {
	blobs, err := v.fetchBundles(ctx, r)
	if err != nil {
		return 0, nil, err
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
	return n, errs, nil
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

// types lists the predicate types present, sorted.
func (st statements) types() []string {
	ts := make([]string, 0, len(st))
	for t := range st {
		ts = append(ts, t)
	}
	sort.Strings(ts)
	return ts
}

// provenance reads the SLSA provenance the policy asks for.
func (v *Verifier) provenance(st statements) *model.ProvenanceFound {
	out := &model.ProvenanceFound{Want: "SLSA provenance"}
	if v.p.provenance != "any" {
		out.Want = v.p.provenance
	}
	for _, t := range []string{verify.SLSAProvenanceV1, verify.SLSAProvenanceV02} {
		if v.p.provenance != "any" && v.p.provenance != t {
			continue
		}
		for _, s := range st[t] {
			p, err := verify.ParseProvenance(t, s.Predicate)
			if err != nil {
				out.Rejected = append(out.Rejected, err.Error())
				continue
			}
			out.Found = append(out.Found, model.Provenance{PredicateType: p.PredicateType, BuilderID: p.BuilderID, Repository: p.Repository, Commit: p.Commit, Ref: p.Ref})
		}
	}
	return out
}

// scan reads the newest verified vulnerability scan.
func (v *Verifier) scan(st statements) *model.ScanFound {
	out := &model.ScanFound{PredicateType: verify.CosignVulnV1}
	var newest *verify.Scan
	for _, s := range st[verify.CosignVulnV1] {
		sc, err := verify.ParseVulnScan(s.PredicateType, s.Predicate)
		if err != nil {
			out.Rejected = append(out.Rejected, err.Error())
			continue
		}
		if newest == nil || sc.FinishedAt.After(newest.FinishedAt) {
			newest = sc
		}
	}
	if newest != nil {
		out.Newest = &model.VulnScan{Scanner: newest.Scanner, FinishedAt: newest.FinishedAt, Age: v.now().Sub(newest.FinishedAt), Counts: newest.Counts}
	}
	return out
}
