package rules

import (
	"fmt"
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// checkUnsigned reports images without any signature.
func checkUnsigned(p *Pass) {
	eachChecked(p, func(c *model.ImageCheck) {
		if k, msg := signatureFailure(c); k == unsigned {
			p.Imagef(c, "%s", msg)
		}
	})
}

// checkSignatureInvalid reports images whose signatures, or whose
// attestations, fail verification.
func checkSignatureInvalid(p *Pass) {
	eachChecked(p, func(c *model.ImageCheck) {
		if k, msg := signatureFailure(c); k == invalid {
			p.Imagef(c, "%s", msg)
		}
		if at := c.Attestations; at != nil && len(at.Rejected) > 0 {
			p.Imagef(c, "%d of %d attestation(s) of %s fail verification: %s", len(at.Rejected), at.Total, c.Digest, firstErrs(at.Rejected))
		}
	})
}

// signatureKind is how the signatures of an image fail.
type signatureKind int

const (
	// signed: they pass, or were not looked at.
	signed signatureKind = iota
	// unsigned: none was found (image-unsigned).
	unsigned
	// invalid: none of those found verifies (signature-invalid).
	invalid
)

// signatureFailure says how c's signatures fail and why.
func signatureFailure(c *model.ImageCheck) (signatureKind, string) {
	s := c.Signatures
	switch {
	case s == nil || s.Verified:
		return signed, ""
	case s.Found == 0:
		note := ""
		if s.Bundles {
			note = " and sigstore bundles among the referrers"
		}
		return unsigned, fmt.Sprintf("no signature found for %s (looked for the cosign tag %s.sig%s)", c.Digest, strings.Replace(c.Digest, ":", "-", 1), note)
	}
	return invalid, fmt.Sprintf("%d signature(s) of %s, none verifies: %s", s.Found, c.Digest, firstErrs(s.Errors))
}
