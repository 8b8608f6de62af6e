package docker

import (
	"context"
	"fmt"
	"time"

	"github.com/docker/docker/api/types/container"
)

// probe returns an unstarted container created from image (an image ID), to
// read the image's own files through the archive API. It is created once
// per image and never started.
func (ck *Checker) probe(ctx context.Context, image string) (string, error) {
	ck.mu.Lock()
	defer ck.mu.Unlock()
	if id, ok := ck.probes[image]; ok {
		return id, nil
	}
	cfg := &container.Config{
		Image: image,
		// Never run: the command only satisfies images without one.
		Cmd:        []string{"/immutcheck-probe-never-started"},
		Entrypoint: []string{},
		Labels:     map[string]string{probeLabel: "1"},
	}
	resp, err := ck.Engine.ContainerCreate(ctx, cfg, &container.HostConfig{NetworkMode: "none"}, nil, nil, "")
	if err != nil {
		return "", fmt.Errorf("create probe container from image %s: %w", image, err)
	}
	if ck.probes == nil {
		ck.probes = map[string]string{}
	}
	ck.probes[image] = resp.ID
	return resp.ID, nil
}

// Close removes the probe containers, even when ctx is already cancelled.
func (ck *Checker) Close(ctx context.Context) error {
	ck.mu.Lock()
	defer ck.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var first error
	for img, id := range ck.probes {
		if err := ck.Engine.ContainerRemove(ctx, id, container.RemoveOptions{Force: true, RemoveVolumes: true}); err != nil && first == nil {
			first = fmt.Errorf("remove probe container %s: %w", id, err)
		}
		delete(ck.probes, img)
	}
	return first
}
