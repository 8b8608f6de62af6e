package cli

import (
	"context"
	"fmt"
	"sync"

	"github.com/immutcheck/immutcheck/config"
	"github.com/immutcheck/immutcheck/live/cluster"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/registry"
	"github.com/immutcheck/immutcheck/rules"
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
// every workload in the snapshot and reports those no longer resolvable
// (rollback-image-missing) and those that could not be checked
// (image-check-failed: registry unreachable, access denied, a revision
// that does not decode), never as resolvable. Each image is resolved once
// however many revisions name it.
func checkRollbackImages(ctx context.Context, s *cluster.Snapshot, o rollbackOptions) []rules.Finding {
	if !o.Registry || o.Revisions <= 0 {
		return nil
	}
	imgs := cluster.RollbackImages(s, o.Revisions)
	if len(imgs) == 0 {
		return nil
	}
	v, _, err := registry.NewVerifier(o.Policy, o.Client)
	if err != nil {
		return []rules.Finding{rollbackFinding(rules.ImageCheckFailed, imgs[0], "could not check the images of previous revisions: registry policy: %v", err)}
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
	var out []rules.Finding
	for _, img := range imgs {
		if img.Err != nil {
			out = append(out, rollbackFinding(rules.ImageCheckFailed, img, "%s could not be read, so its images were not checked: %v", img.Revision, img.Err))
			continue
		}
		for _, f := range byRef[img.Image].Findings {
			out = append(out, rollbackFinding(f.Rule, img, "%s: %s; rolling back to this revision would need it", img.Revision, f.Message))
		}
	}
	return out
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

// rollbackFinding is a finding of rule r on the workload of img.
func rollbackFinding(r *rules.Rule, img cluster.RollbackImage, format string, args ...any) rules.Finding {
	obj := img.Workload
	return rules.Finding{Rule: r, Severity: r.Severity, Subject: img.Subject(), Location: img.Location(),
		Message: fmt.Sprintf(format, args...), Object: &obj}
}
