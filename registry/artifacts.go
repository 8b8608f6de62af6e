package registry

import "github.com/immutcheck/immutcheck/model"

// ArtifactsOf returns every image a loaded file declares (container images
// and build base images), for `scan --registry`.
func ArtifactsOf(f *model.File) []model.Artifact {
	var out []model.Artifact
	for _, w := range f.Workloads {
		for _, c := range w.Containers {
			if c.Image.Ref != "" || c.Image.Err != nil {
				out = append(out, c.Image)
			}
		}
	}
	for _, b := range f.Builds {
		for _, a := range b.Bases {
			if a.Ref != "scratch" {
				out = append(out, a)
			}
		}
	}
	return out
}
