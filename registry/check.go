package registry

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// report collects the findings of one image.
type report struct {
	a        model.Artifact
	findings []rules.Finding
}

// add records a finding of rule r.
func (rp *report) add(r *rules.Rule, format string, args ...any) {
	rp.findings = append(rp.findings, rules.Finding{
		Rule: r, Severity: r.Severity, Subject: "image " + rp.a.Ref, Location: rp.a.Location,
		Message: fmt.Sprintf(format, args...),
	})
}

// failed records that something could not be checked.
func (rp *report) failed(what string, err error) {
	rp.add(rules.ImageCheckFailed, "could not check %s: %v", what, err)
}

// verifyOne runs every configured check on one image. The result is
// verified only if all of them ran and none reported anything.
func (v *Verifier) verifyOne(ctx context.Context, a model.Artifact) Result {
	rp := &report{a: a}
	res := Result{Artifact: a}
	if a.Err != nil {
		rp.failed("reference", a.Err)
		res.Findings = rp.findings
		return res
	}
	if len(v.p.trusted) > 0 && !rules.RegistryAllowed(a, v.p.trusted) {
		// Untrusted registries are never contacted.
		rp.add(rules.RegistryNotAllowed, "image %q comes from %s, which is not a trusted registry %v", a.Ref, a.Registry, v.p.trusted)
		res.Findings = rp.findings
		return res
	}
	r, err := v.c.Resolve(ctx, a)
	switch {
	case errors.Is(err, ErrNotFound) && a.Digest != "":
		rp.add(rules.ImageDigestNotFound, "digest %s does not exist in %s", a.Digest, a.Name())
	case err != nil:
		rp.failed("image", err)
	}
	if err != nil {
		res.Findings = rp.findings
		return res
	}
	res.Digest, res.Platforms = r.Digest, r.Platforms
	if r.TagGone {
		rp.add(rules.TagMoved, "tag %s no longer exists; the pin %s is all that names this build", a.Tag, a.Digest)
	} else if r.TagDigest != "" && r.TagDigest != r.Digest {
		rp.add(rules.TagMoved, "tag %s now points to %s, not to the pinned %s", a.Tag, r.TagDigest, r.Digest)
	}
	complete := true
	if v.p.requireSig {
		complete = v.checkSignatures(ctx, r, rp) && complete
	}
	if v.p.needAttested {
		complete = v.checkAttestations(ctx, r, rp) && complete
	}
	if v.p.previous > 0 && a.Tag != "" {
		complete = v.checkRollback(ctx, a, r, rp) && complete
	}
	res.Verified = complete && len(rp.findings) == 0
	res.Findings = rp.findings
	return res
}

// fetchAttachments returns the cosign attachments of a digest, fetched
// once per Verifier.
func (v *Verifier) fetchAttachments(ctx context.Context, r *Resolved, suffix string) ([]attachment, error) {
	e, _ := v.cache.LoadOrStore(r.Repo.Name()+"@"+r.Digest+" "+suffix, &cached{})
	c := e.(*cached)
	c.once.Do(func() { c.atts, c.err = v.c.attachments(ctx, r.Repo, r.Digest, suffix) })
	return c.atts, c.err
}

// fetchBundles returns the sigstore bundles among the referrers of a
// digest, fetched once per Verifier.
func (v *Verifier) fetchBundles(ctx context.Context, r *Resolved) ([][]byte, error) {
	e, _ := v.cache.LoadOrStore(r.Repo.Name()+"@"+r.Digest+" bundles", &cached{})
	c := e.(*cached)
	c.once.Do(func() { c.blobs, c.err = v.c.referrerBlobs(ctx, r.Repo, r.Digest, bundleArtifactType) })
	return c.blobs, c.err
}

// firstErrs joins up to three distinct error messages for a finding.
func firstErrs(errs []error) string {
	var parts []string
	seen := map[string]bool{}
	for _, e := range errs {
		if s := e.Error(); !seen[s] && len(parts) < 3 {
			seen[s] = true
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, "; ")
}
