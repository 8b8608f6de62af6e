package registry

import (
	"context"
	"errors"
	"fmt"

	"github.com/immutcheck/immutcheck/rules"
	"github.com/immutcheck/immutcheck/verify"
)

// checkSignatures looks for a signature of r.Digest that satisfies the
// policy: a cosign classic signature (sha256-<hex>.sig) verified with a
// trusted key, or a sigstore bundle among the digest's OCI referrers
// verified against the trusted root and identities. It reports
// image-unsigned when there is none at all and signature-invalid when
// signatures exist but none verifies. It returns false when the check
// could not run.
func (v *Verifier) checkSignatures(ctx context.Context, r *Resolved, rp *report) bool {
	var errs []error
	found := 0
	if len(v.p.keys) > 0 {
		atts, err := v.fetchAttachments(ctx, r, "sig")
		if err != nil {
			rp.failed("signatures", err)
			return false
		}
		for i, a := range atts {
			found++
			if a.mediaType != simpleSigningType {
				errs = append(errs, fmt.Errorf("signature %d has media type %q: %w", i+1, a.mediaType, verify.ErrVerification))
				continue
			}
			sig := verify.SimpleSignature{Payload: a.blob, Signature: a.annotations[sigAnnotation]}
			if _, err := verify.VerifySimpleSignature(sig, v.p.keys, r.Digest); err != nil {
				errs = append(errs, fmt.Errorf("signature %d: %w", i+1, err))
				continue
			}
			return true
		}
	}
	if v.p.keyless != nil {
		bundles, err := v.fetchBundles(ctx, r)
		if err != nil {
			rp.failed("signature bundles", err)
			return false
		}
		for i, b := range bundles {
			err := v.p.keyless.verifySignatureBundle(b, r.Digest)
			if errors.Is(err, errNotSignature) {
				continue
			}
			found++
			if err != nil {
				errs = append(errs, fmt.Errorf("bundle %d: %w", i+1, err))
				continue
			}
			return true
		}
	}
	if found == 0 {
		rp.add(rules.ImageUnsigned, "no signature found for %s (looked for the cosign tag %s.sig%s)", r.Digest, dashed(r.Digest), keylessNote(v))
		return true
	}
	if limitErr := errors.Join(errs...); errors.Is(limitErr, verify.ErrLimitExceeded) {
		rp.failed("signatures", limitErr)
		return false
	}
	rp.add(rules.SignatureInvalid, "%d signature(s) of %s, none verifies: %s", found, r.Digest, firstErrs(errs))
	return true
}

// keylessNote mentions the referrers lookup in messages when it ran.
func keylessNote(v *Verifier) string {
	if v.p.keyless != nil {
		return " and sigstore bundles among the referrers"
	}
	return ""
}
