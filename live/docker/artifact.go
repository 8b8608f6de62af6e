package docker

import (
	"context"
	"fmt"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"

	"github.com/immutcheck/immutcheck/model"
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

// Running describes the image a container runs, for running-digest-mismatch:
// its image ID (the config digest), the digests of its repository
// references and, when the declaration names a tag, the image that tag
// names now on this engine ("" when the engine does not know the tag: that
// is left to image-not-pinned). declared is the image the container's
// declaration names.
func Running(ctx context.Context, eng Engine, ins *container.InspectResponse, declared model.Artifact) (model.RunningContainer, error) {
	rc := model.RunningContainer{Role: "container", Name: trimSlash(ins.Name), Declared: declared, DeclaredBy: declaredBy(declared)}
	img, err := eng.ImageInspect(ctx, ins.Image)
	if err != nil {
		return rc, fmt.Errorf("inspect image %s: %w", ins.Image, err)
	}
	rc.Config = img.ID
	for _, rd := range img.RepoDigests {
		if _, d, ok := strings.Cut(rd, "@"); ok {
			rc.Digests = append(rc.Digests, d)
		}
	}
	if declared.Digest != "" || declared.Ref == "" {
		return rc, nil
	}
	tagged, err := eng.ImageInspect(ctx, declared.Ref)
	if client.IsErrNotFound(err) {
		return rc, nil
	}
	if err != nil {
		return rc, fmt.Errorf("inspect image %s: %w", declared.Ref, err)
	}
	rc.TagNow = tagged.ID
	return rc, nil
}

// declaredBy says where a declared image comes from: --expect or the
// compose file.
func declaredBy(a model.Artifact) string {
	switch a.Location.File {
	case "--expect":
		return "--expect"
	case "":
		return "the declaration"
	}
	return "compose file " + a.Location.File
}
