package kube

import "github.com/immutcheck/immutcheck/model"

// Options bound decoding.
type Options struct {
	// MaxObjectBytes caps one document; MaxDocuments caps the documents of
	// one stream. Zero means the package default.
	MaxObjectBytes int64
	MaxDocuments   int
}

// Load decodes a manifest stream read from path.
func Load(path string, data []byte, opts Options) *model.File {
	f := &model.File{Path: path, Format: "kubernetes"}
	Decode(f, path, data, opts)
	return f
}

// Decode decodes a manifest stream and appends its workloads and problems to
// f, locating them in path. Helm and Kustomize loaders call it with the path
// of each rendered template.
func Decode(f *model.File, path string, data []byte, opts Options) {
	// TODO: implemented in the kube loader.
}
