package registry

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/root"
	sgverify "github.com/sigstore/sigstore-go/pkg/verify"

	"github.com/immutcheck/immutcheck/verify"
)

// keyless verifies sigstore bundles (certificate from a Fulcio-style CA,
// transparency-log entry) with sigstore-go against a pinned trusted root,
// offline. Identity constraints are mandatory.
type keyless struct {
	v   *sgverify.Verifier
	ids []sgverify.CertificateIdentity
}

// compileKeyless loads the trusted root and the identities.
func compileKeyless(ids []Identity, rootPath string) (*keyless, []string, error) {
	if rootPath == "" {
		return nil, nil, fmt.Errorf("policy: keyless identities need trusted-root (a trusted_root.json)")
	}
	b, err := readBounded(rootPath, 4<<20)
	if err != nil {
		return nil, nil, fmt.Errorf("policy trusted root: %w", err)
	}
	tr, err := root.NewTrustedRootFromJSON(b)
	if err != nil {
		return nil, nil, fmt.Errorf("policy trusted root %s: %w", rootPath, err)
	}
	k := &keyless{}
	var warns []string
	for _, id := range ids {
		if id.Issuer == "" {
			return nil, nil, fmt.Errorf("policy: keyless identity needs an issuer")
		}
		if (id.Subject == "") == (id.SubjectRegExp == "") {
			return nil, nil, fmt.Errorf("policy: keyless identity for issuer %q needs exactly one of subject and subject-regexp", id.Issuer)
		}
		re := ""
		if id.SubjectRegExp != "" {
			r, w, err := compileIdentityRegexp(id.SubjectRegExp)
			if err != nil {
				return nil, nil, err
			}
			if w != "" {
				warns = append(warns, w)
			}
			re = r.String()
		}
		ci, err := sgverify.NewShortCertificateIdentity(id.Issuer, "", id.Subject, re)
		if err != nil {
			return nil, nil, fmt.Errorf("policy: keyless identity: %w", err)
		}
		k.ids = append(k.ids, ci)
	}
	if k.v, err = newBundleVerifier(tr); err != nil {
		return nil, nil, err
	}
	return k, warns, nil
}

// newBundleVerifier requires a transparency-log entry with its integrated
// time for every bundle: nothing is skipped silently (fault F9).
func newBundleVerifier(tm root.TrustedMaterial) (*sgverify.Verifier, error) {
	v, err := sgverify.NewVerifier(tm, sgverify.WithTransparencyLog(1), sgverify.WithIntegratedTimestamps(1))
	if err != nil {
		return nil, fmt.Errorf("policy: bundle verifier: %w", err)
	}
	return v, nil
}

// verifySignatureBundle verifies a bundle that signs the image digest:
// a message signature over the manifest, or cosign's DSSE signing
// statement. An attestation bundle (any other DSSE statement) is not a
// signature and is rejected here.
func (k *keyless) verifySignatureBundle(raw []byte, digest string) error {
	b, err := parseBundle(raw)
	if err != nil {
		return err
	}
	st, isDSSE, err := k.bundleStatement(b, digest)
	switch {
	case !isDSSE:
		return k.verifyEntity(b, digest)
	case err != nil:
		return err
	case st.PredicateType != cosignSignPredicate:
		return errNotSignature
	}
	return nil
}

// verifyEntity checks a signed entity against the trusted root, the
// identities and the artifact digest: sigstore-go cross-checks the log
// entry against this signature and digest (CVE-2022-23649,
// CVE-2026-22703) and, for DSSE, the statement subjects against digest.
func (k *keyless) verifyEntity(e sgverify.SignedEntity, digest string) error {
	alg, hx, _ := strings.Cut(digest, ":")
	raw, err := hex.DecodeString(hx)
	if err != nil || alg != "sha256" {
		return fmt.Errorf("digest %q: %w", digest, verify.ErrVerification)
	}
	var last error
	for _, id := range k.ids {
		_, err := k.v.Verify(e, sgverify.NewPolicy(sgverify.WithArtifactDigest(alg, raw), sgverify.WithCertificateIdentity(id)))
		if err == nil {
			return nil
		}
		last = err
	}
	return fmt.Errorf("sigstore bundle: %w: %w", verify.ErrVerification, last)
}

// errNotSignature marks a valid attestation bundle met while looking for
// signatures; it neither signs nor fails the image.
var errNotSignature = errors.New("attestation bundle, not a signature")

// cosignSignPredicate is the predicate type of the DSSE statement that
// `cosign sign --new-bundle-format` wraps an image signature in; such a
// bundle is a signature, any other DSSE bundle is an attestation.
const cosignSignPredicate = "https://sigstore.dev/cosign/sign/v1"

// parseBundle decodes a sigstore bundle.
func parseBundle(raw []byte) (*bundle.Bundle, error) {
	var b bundle.Bundle
	if err := b.UnmarshalJSON(raw); err != nil {
		return nil, fmt.Errorf("parse sigstore bundle: %w: %w", verify.ErrVerification, err)
	}
	return &b, nil
}

// bundleStatement returns the in-toto statement of a DSSE bundle after
// verifying the bundle for digest; ok is false for bundles that carry a
// plain message signature. The statement is parsed from the verified
// envelope payload, so its predicate keeps its raw bytes.
func (k *keyless) bundleStatement(b *bundle.Bundle, digest string) (st *verify.Statement, ok bool, err error) {
	env := b.GetDsseEnvelope()
	if env == nil {
		return nil, false, nil
	}
	if err := k.verifyEntity(b, digest); err != nil {
		return nil, true, err
	}
	if env.GetPayloadType() != verify.InTotoPayloadType {
		return nil, true, fmt.Errorf("bundle payload type is %q: %w", env.GetPayloadType(), verify.ErrVerification)
	}
	st, err = verify.ParseStatement(env.GetPayload(), digest)
	return st, true, err
}
