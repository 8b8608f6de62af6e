package registry

import (
	"context"
	"errors"
	"fmt"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/verify"
)

// checkSignatures looks for a signature of r.Digest that satisfies the
// policy: a cosign classic signature (sha256-<hex>.sig) verified with a
// trusted key, or a sigstore bundle among the digest's OCI referrers
// verified against the trusted root and identities. It returns what it
// found (none, none verifying and why, or one verifying), or nil with a
// problem on k when the check could not run.
func (v *Verifier) checkSignatures(ctx context.Context, r *Resolved, k *check, subject string, loc model.Location) *model.Signatures {
	var errs []error
	s := &model.Signatures{Bundles: v.p.keyless != nil}
	if len(v.p.keys) > 0 {
		atts, err := v.fetchAttachments(ctx, r, "sig")
		if err != nil {
			k.failed(subject, loc, "signatures", err)
			return nil
		}
		for i, a := range atts {
			s.Found++
			if a.mediaType != simpleSigningType {
				errs = append(errs, fmt.Errorf("signature %d has media type %q: %w", i+1, a.mediaType, verify.ErrVerification))
				continue
			}
			sig := verify.SimpleSignature{Payload: a.blob, Signature: a.annotations[sigAnnotation]}
			if _, err := verify.VerifySimpleSignature(sig, v.p.keys, r.Digest); err != nil {
				errs = append(errs, fmt.Errorf("signature %d: %w", i+1, err))
				continue
			}
			s.Verified = true
			s.Errors = messages(errs)
			return s
		}
	}
	if v.p.keyless != nil {
		bundles, err := v.fetchBundles(ctx, r)
		if err != nil {
			k.failed(subject, loc, "signature bundles", err)
			return nil
		}
		for i, b := range bundles {
			err := v.p.keyless.verifySignatureBundle(b, r.Digest)
			if errors.Is(err, errNotSignature) {
				continue
			}
			s.Found++
			if err != nil {
				errs = append(errs, fmt.Errorf("bundle %d: %w", i+1, err))
				continue
			}
			s.Verified = true
			s.Errors = messages(errs)
			return s
		}
	}
	if limitErr := errors.Join(errs...); s.Found > 0 && errors.Is(limitErr, verify.ErrLimitExceeded) {
		k.failed(subject, loc, "signatures", limitErr)
		return nil
	}
	s.Errors = messages(errs)
	return s
}
