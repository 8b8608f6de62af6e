package docker

import (
	"context"
	"fmt"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// Expectations map containers to the image their declaration names.
type Expectations struct {
	// ByContainer maps a container name to its declared image.
	ByContainer map[string]model.Artifact
	// ByRepository maps an image name (registry/repository) to the declared
	// image for every container created from that repository.
	ByRepository map[string]model.Artifact
	// ByService maps a compose service name to its declared image.
	ByService map[string]model.Artifact
}

// Expect adds one --expect value: "REF" applies to containers of REF's
// repository, "NAME=REF" to the container NAME.
func (e *Expectations) Expect(v string) error {
	name, ref, named := strings.Cut(v, "=")
	if !named {
		ref = v
	}
	a := model.NewArtifact(ref, model.Location{File: "--expect"})
	if a.Err != nil {
		return fmt.Errorf("--expect %q: %w", v, a.Err)
	}
	if named {
		if e.ByContainer == nil {
			e.ByContainer = map[string]model.Artifact{}
		}
		e.ByContainer[name] = a
		return nil
	}
	if e.ByRepository == nil {
		e.ByRepository = map[string]model.Artifact{}
	}
	e.ByRepository[a.Name()] = a
	return nil
}

// For returns the declared image of a container, if any.
func (e *Expectations) For(ins *container.InspectResponse) (model.Artifact, bool) {
	if a, ok := e.ByContainer[trimSlash(ins.Name)]; ok {
		return a, true
	}
	if ins.Config == nil {
		return model.Artifact{}, false
	}
	if a, ok := e.ByService[ins.Config.Labels[LabelComposeService]]; ok && a.Ref != "" {
		return a, true
	}
	if run := model.NewArtifact(ins.Config.Image, model.Location{}); run.Err == nil {
		if a, ok := e.ByRepository[run.Name()]; ok {
			return a, true
		}
	}
	return model.Artifact{}, false
}

// DigestMismatch compares the image a container runs with its declared
// image. A declared digest must be the running image's ID or one of its
// repository digests; a declared tag must still name, on this engine, the
// image the container runs. A tag the engine does not know is left to
// image-not-pinned.
func DigestMismatch(ctx context.Context, eng Engine, ins *container.InspectResponse, declared model.Artifact) (*rules.Finding, error) {
	img, err := eng.ImageInspect(ctx, ins.Image)
	if err != nil {
		return nil, fmt.Errorf("inspect image %s: %w", ins.Image, err)
	}
	name := trimSlash(ins.Name)
	f := &rules.Finding{Rule: rules.RunningDigestMismatch, Severity: rules.RunningDigestMismatch.Severity,
		Subject: "container " + name, Location: model.Location{File: "container/" + name}}
	if declared.Digest != "" {
		if declared.Digest == img.ID {
			return nil, nil
		}
		for _, rd := range img.RepoDigests {
			if _, d, ok := strings.Cut(rd, "@"); ok && d == declared.Digest {
				return nil, nil
			}
		}
		f.Message = fmt.Sprintf("container runs image %s (repository digests %s), not the declared %s", img.ID, listOrNone(img.RepoDigests), declared.Ref)
		return f, nil
	}
	tagged, err := eng.ImageInspect(ctx, declared.Ref)
	if client.IsErrNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("inspect image %s: %w", declared.Ref, err)
	}
	if tagged.ID == img.ID {
		return nil, nil
	}
	f.Message = fmt.Sprintf("container runs image %s, but the declared %s now names %s on this engine (the tag moved after the container was created)", img.ID, declared.Ref, tagged.ID)
	return f, nil
}

func listOrNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
