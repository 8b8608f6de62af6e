package registry

import (
	"context"
	"errors"
	"fmt"

	"github.com/immutcheck/immutcheck/model"
)

// check collects what could not be checked for one image.
type check struct {
	problems []model.Problem
}

// failed records that what could not be checked, as a problem about the
// image with the given subject, declared at loc.
func (k *check) failed(subject string, loc model.Location, what string, err error) {
	k.problems = append(k.problems, model.Problem{Kind: model.ImageUnread, Location: loc, Object: subject,
		Err: fmt.Errorf("could not check %s: %w", what, err)})
}

// verifyOne reads the facts of one image that the policy asks for: the
// digest, its signatures and attestations, its previous releases. Images
// from registries the policy does not trust are never contacted.
func (v *Verifier) verifyOne(ctx context.Context, a model.Artifact) Result {
	ic := &model.ImageCheck{Artifact: a}
	res := Result{Artifact: a, Images: []*model.ImageCheck{ic}}
	k := &check{}
	subject := "image " + a.Ref
	if a.Err != nil {
		k.failed(subject, a.Location, "reference", a.Err)
		res.Problems = k.problems
		return res
	}
	if len(v.p.trusted) > 0 && !a.InRegistries(v.p.trusted) {
		return res
	}
	r, err := v.c.Resolve(ctx, a)
	if errors.Is(err, ErrNotFound) && a.Digest != "" {
		ic.DigestMissing = true
		return res
	}
	if err != nil {
		k.failed(subject, a.Location, "image", err)
		res.Problems = k.problems
		return res
	}
	ic.Digest, ic.Platforms, ic.TagDigest, ic.TagGone = r.Digest, r.Platforms, r.TagDigest, r.TagGone
	if v.p.requireSig {
		ic.Signatures = v.checkSignatures(ctx, r, k, subject, a.Location)
	}
	if v.p.needAttested {
		ic.Attestations = v.checkAttestations(ctx, r, k, subject, a.Location)
	}
	if v.p.previous > 0 && a.Tag != "" {
		var prev []*model.ImageCheck
		ic.Releases, prev = v.checkRollback(ctx, a, r, k)
		res.Images = append(res.Images, prev...)
	}
	res.Problems = k.problems
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

// messages returns the messages of errs, in order.
func messages(errs []error) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Error()
	}
	return out
}
