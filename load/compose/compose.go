// Package compose loads Compose files (compose.yaml, docker-compose.yml).
package compose

import "github.com/immutcheck/immutcheck/model"

// Load parses a compose file read from path.
func Load(path string, data []byte) *model.File {
	return &model.File{Path: path, Format: "compose"}
}
