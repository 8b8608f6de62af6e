package cli

import (
	"context"
	"fmt"
	"sync"

	"github.com/immutcheck/immutcheck/config"
	"github.com/immutcheck/immutcheck/live/cluster"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/registry"
)

// defaultRollbackRevisions is how many previous revisions are checked
// when neither a flag nor the policy's previous-revisions says.
const defaultRollbackRevisions = 1

// rollbackOptions are the settings of `immutcheck cluster` for
// rollback-image-missing.
type rollbackOptions struct {
	// Registry turns on resolving images in their registries.
	Registry bool
	// Revisions is how many previous revisions per workload are checked.
	Revisions int
	// Policy is the registry policy: the config's registry: section with
	// the registry flags merged (newRollbackOptions builds it). With trust
	// material, a previous image must also still pass the signature
	// policy; without, it must resolve.
	Policy registry.Policy
	// Client says how registries are reached (insecure hosts come from
	// the policy); tests inject transports and limits here.
	Client registry.ClientOptions
}

// newRollbackOptions builds the rollback settings from the config and the
// registry flags shared with `image verify` and `scan --registry`.
// revisions <= 0 means the policy's previous-revisions, else 1. Unlike
// image verification, trust material is optional: without it, previous
// images are only resolved.
func newRollbackOptions(cfg *config.Config, flags registryFlags, enabled bool, revisions int) (rollbackOptions, error) {
	o := rollbackOptions{Registry: enabled, Revisions: revisions}
	if !enabled {
		return o, nil
	}
	if (flags.Identity != "" || flags.IdentityRegexp != "") && flags.OIDCIssuer == "" {
		return o, usagef("--certificate-identity needs --certificate-oidc-issuer")
	}
	p, err := flags.policy(cfg)
	if err != nil && (len(p.Keys) > 0 || len(p.Keyless) > 0) {
		return o, err
	}
	o.Policy = p
	if o.Revisions <= 0 {
		o.Revisions = p.PreviousRevisions
	}
	if o.Revisions <= 0 {
		o.Revisions = defaultRollbackRevisions
	}
	return o, nil
}

// checkRollbackImages resolves the images of the previous revisions of
// every workload in the snapshot and returns what the registries said
// about each, on the revision's subject and workload, for the catalog to
// judge (rollback-image-missing), and what could not be checked as
// problems (image-check-failed: registry unreachable, access denied, a
// revision that does not decode), never as resolvable. Each image is
// resolved once however many revisions name it.
func checkRollbackImages(ctx context.Context, s *cluster.Snapshot, o rollbackOptions) ([]*model.ImageCheck, []model.Problem) {
	if !o.Registry || o.Revisions <= 0 {
		return nil, nil
	}
	imgs := cluster.RollbackImages(s, o.Revisions)
	if len(imgs) == 0 {
		return nil, nil
	}
	v, _, err := registry.NewVerifier(o.Policy, o.Client)
	if err != nil {
		return nil, []model.Problem{rollbackProblem(imgs[0], fmt.Errorf("could not check the images of previous revisions: registry policy: %w", err))}
	}
	var arts []model.Artifact
	seen := map[string]bool{}
	for _, img := range imgs {
		if img.Err == nil && !seen[img.Image] {
			seen[img.Image] = true
			arts = append(arts, model.NewArtifact(img.Image, img.Location()))
		}
	}
	byRef := resolvePrevious(ctx, v, arts, o.Client.Limits)
	var checks []*model.ImageCheck
	var problems []model.Problem
	for _, img := range imgs {
		if img.Err != nil {
			problems = append(problems, rollbackProblem(img, fmt.Errorf("%s could not be read, so its images were not checked: %w", img.Revision, img.Err)))
			continue
		}
		r := byRef[img.Image]
		for _, c := range r.Images {
			cp := *c
			obj := img.Workload
			cp.Subject, cp.Object, cp.Revision = img.Subject(), &obj, img.Revision
			cp.Artifact.Location = img.Location()
			checks = append(checks, &cp)
		}
		for _, p := range r.Problems {
			problems = append(problems, rollbackProblem(img, fmt.Errorf("%s: %w; rolling back to this revision would need it", img.Revision, p.Err)))
		}
	}
	return checks, problems
}

// resolvePrevious checks arts with at most lim.Workers in flight (the
// verifier is safe for concurrent use) and returns the results by
// reference.
func resolvePrevious(ctx context.Context, v *registry.Verifier, arts []model.Artifact, lim registry.Limits) map[string]registry.Result {
	workers := lim.Workers
	if workers <= 0 {
		workers = registry.DefaultLimits().Workers
	}
	byRef := make(map[string]registry.Result, len(arts))
	var mu sync.Mutex
	var wg sync.WaitGroup
	work := make(chan model.Artifact)
	for range min(workers, len(arts)) {
		wg.Go(func() {
			for a := range work {
				r := v.VerifyPrevious(ctx, []model.Artifact{a})[0]
				mu.Lock()
				byRef[a.Ref] = r
				mu.Unlock()
			}
		})
	}
	for _, a := range arts {
		work <- a
	}
	close(work)
	wg.Wait()
	return byRef
}

// rollbackProblem is an image that could not be checked, on the workload
// of img.
func rollbackProblem(img cluster.RollbackImage, err error) model.Problem {
	obj := img.Workload
	return model.Problem{Kind: model.ImageUnread, Location: img.Location(), Object: img.Subject(), Ref: &obj, Err: err}
}
