package registry

import (
	"encoding/hex"
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

// verifyBundle parses a bundle and verifies it for digest; see verifyEntity.
func (k *keyless) verifyBundle(raw []byte, digest string) error {
	var b bundle.Bundle
	if err := b.UnmarshalJSON(raw); err != nil {
		return fmt.Errorf("parse sigstore bundle: %w: %w", verify.ErrVerification, err)
	}
	return k.verifyEntity(&b, digest)
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
