package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/blang/semver/v4"
	"github.com/google/go-containerregistry/pkg/name"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// checkRollback checks that the policy's number of earlier releases of
// the image's repository still resolve and pass the signature policy.
// Releases are the semantic-version tags below the image's own tag.
func (v *Verifier) checkRollback(ctx context.Context, a model.Artifact, r *Resolved, rp *report) bool {
	cur, err := semver.ParseTolerant(a.Tag)
	if err != nil {
		rp.add(rules.RollbackImageMissing, "tag %s is not a version, so the previous releases cannot be found", a.Tag)
		return true
	}
	tags, err := v.c.tags(ctx, r.Repo)
	if err != nil {
		rp.failed("previous releases", err)
		return false
	}
	prev := previousVersions(tags, cur, v.p.previous)
	if len(prev) < v.p.previous {
		rp.add(rules.RollbackImageMissing, "%d previous release(s) required, the registry has %d below %s: %s", v.p.previous, len(prev), a.Tag, strings.Join(prev, ", "))
	}
	complete := true
	for _, t := range prev {
		pa := model.NewArtifact(r.Repo.Name()+":"+t, a.Location)
		complete = v.checkPrevious(ctx, pa, rp) && complete
	}
	return complete
}

// VerifyPrevious checks images named as previous releases (--previous):
// each must resolve and pass the signature policy, or it is reported as
// rollback-image-missing.
func (v *Verifier) VerifyPrevious(ctx context.Context, arts []model.Artifact) []Result {
	ctx, cancel := context.WithTimeout(ctx, v.c.lim.Budget)
	defer cancel()
	out := make([]Result, 0, len(arts))
	for _, a := range arts {
		rp := &report{a: a}
		ok := v.checkPrevious(ctx, a, rp)
		out = append(out, Result{Artifact: a, Verified: ok && len(rp.findings) == 0, Findings: rp.findings})
	}
	return out
}

// checkPrevious resolves one previous release and checks its signature;
// any problem becomes a rollback-image-missing finding on rp.
func (v *Verifier) checkPrevious(ctx context.Context, pa model.Artifact, rp *report) bool {
	sub := &report{a: pa}
	pr, err := v.c.Resolve(ctx, pa)
	switch {
	case err != nil && isNotFound(err):
		rp.add(rules.RollbackImageMissing, "previous release %s is gone from the registry", pa.Ref)
		return true
	case err != nil:
		rp.failed("previous release "+pa.Ref, err)
		return false
	}
	complete := true
	if v.p.requireSig {
		complete = v.checkSignatures(ctx, pr, sub)
	}
	for _, f := range sub.findings {
		if f.Rule == rules.ImageCheckFailed {
			rp.findings = append(rp.findings, f)
			continue
		}
		rp.add(rules.RollbackImageMissing, "previous release %s (%s) no longer passes the signature policy: %s", pa.Ref, pr.Digest, f.Message)
	}
	return complete
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
