package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/blang/semver/v4"
	"github.com/google/go-containerregistry/pkg/name"

	"github.com/immutcheck/immutcheck/model"
)

// checkRollback finds the policy's number of earlier releases of the
// image's repository (the semantic-version tags below the image's own tag)
// and checks that each still resolves and passes the signature policy. It
// returns the releases found, nil with a problem on k when the tags could
// not be listed, and the check of each release.
func (v *Verifier) checkRollback(ctx context.Context, a model.Artifact, r *Resolved, k *check) (*model.Releases, []*model.ImageCheck) {
	cur, err := semver.ParseTolerant(a.Tag)
	if err != nil {
		return &model.Releases{NotVersion: true}, nil
	}
	subject := "image " + a.Ref
	tags, err := v.c.tags(ctx, r.Repo)
	if err != nil {
		k.failed(subject, a.Location, "previous releases", err)
		return nil, nil
	}
	rel := &model.Releases{Tags: previousVersions(tags, cur, v.p.previous)}
	var prev []*model.ImageCheck
	for _, t := range rel.Tags {
		pa := model.NewArtifact(r.Repo.Name()+":"+t, a.Location)
		if pc := v.checkPrevious(ctx, pa, k, subject); pc != nil {
			prev = append(prev, pc)
		}
	}
	return rel, prev
}

// VerifyPrevious reads the facts of images named as previous releases
// (--previous, the images of a live workload's previous revisions): whether
// each still resolves and, with trust material, its signatures.
func (v *Verifier) VerifyPrevious(ctx context.Context, arts []model.Artifact) []Result {
	ctx, cancel := context.WithTimeout(ctx, v.c.lim.Budget)
	defer cancel()
	out := make([]Result, 0, len(arts))
	for _, a := range arts {
		k := &check{}
		res := Result{Artifact: a}
		if pc := v.checkPrevious(ctx, a, k, ""); pc != nil {
			res.Images = append(res.Images, pc)
		}
		res.Problems = k.problems
		out = append(out, res)
	}
	return out
}

// checkPrevious resolves one previous release and reads its signatures.
// subject names what findings about it are on ("" for the release
// itself). It returns nil with a problem on k when the release could not
// be resolved.
func (v *Verifier) checkPrevious(ctx context.Context, pa model.Artifact, k *check, subject string) *model.ImageCheck {
	pc := &model.ImageCheck{Artifact: pa, Subject: subject, Previous: true}
	own := "image " + pa.Ref
	if subject == "" {
		subject = own
	}
	pr, err := v.c.Resolve(ctx, pa)
	switch {
	case err != nil && isNotFound(err):
		pc.Gone = true
		return pc
	case err != nil:
		k.failed(subject, pa.Location, "previous release "+pa.Ref, err)
		return nil
	}
	pc.Digest = pr.Digest
	if v.p.requireSig {
		pc.Signatures = v.checkSignatures(ctx, pr, k, own, pa.Location)
	}
	return pc
}

// previousVersions returns up to n tags below cur, highest first.
func previousVersions(tags []string, cur semver.Version, n int) []string {
	type tv struct {
		tag string
		v   semver.Version
	}
	var vs []tv
	for _, t := range tags {
		if sv, err := semver.ParseTolerant(t); err == nil && sv.LT(cur) && len(sv.Pre) == 0 {
			vs = append(vs, tv{t, sv})
		}
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].v.GT(vs[j].v) })
	var out []string
	for _, x := range vs[:min(n, len(vs))] {
		out = append(out, x.tag)
	}
	return out
}

// tags lists the repository's tags (first page, bounded like a manifest).
func (c *Client) tags(ctx context.Context, repo name.Repository) ([]string, error) {
	res, err := c.get(ctx, repo, "tags", "list?n=1000", []string{"application/json"}, c.lim.ManifestBytes)
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	var l struct {
		Tags []string `json:"tags"`
	}
	if err := json.Unmarshal(res.body, &l); err != nil {
		return nil, fmt.Errorf("list tags: %w: %w", ErrMalformed, err)
	}
	return l.Tags, nil
}
