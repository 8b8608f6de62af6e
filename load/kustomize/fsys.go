package kustomize

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Bounds on what one build may read.
const (
	MaxFileBytes  = 16 << 20
	MaxBuildBytes = 256 << 20
)

// errReadOnly is returned by every write: a build only reads.
var errReadOnly = errors.New("kustomize build may not write files")

// guardedFS is the on-disk filesystem as kustomize sees it, with reads
// bounded per file and per build, never blocking on a FIFO, writes refused,
// and the top kustomization read with origin annotations switched on.
type guardedFS struct {
	filesys.FileSystem
	// top is the top kustomization file, as kustomize names it (absolute,
	// links resolved).
	top string

	mu   sync.Mutex
	left int64
}

func newGuardedFS(dir string) *guardedFS {
	fs := &guardedFS{FileSystem: filesys.MakeFsOnDisk(), left: MaxBuildBytes}
	if file, ok := kustFile(dir); ok {
		if abs, err := filepath.Abs(file); err == nil {
			if real, err := filepath.EvalSymlinks(abs); err == nil {
				fs.top = real
			}
		}
	}
	return fs
}

// ReadFile reads a regular file within the bounds.
func (g *guardedFS) ReadFile(path string) ([]byte, error) {
	data, err := readBounded(path, MaxFileBytes)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	g.mu.Lock()
	g.left -= int64(len(data))
	left := g.left
	g.mu.Unlock()
	if left < 0 {
		return nil, fmt.Errorf("build reads more than %d bytes", int64(MaxBuildBytes))
	}
	if g.top != "" && path == g.top {
		return withOrigins(data)
	}
	return data, nil
}

// Create refuses.
func (g *guardedFS) Create(string) (filesys.File, error) { return nil, errReadOnly }

// Mkdir refuses.
func (g *guardedFS) Mkdir(string) error { return errReadOnly }

// MkdirAll refuses.
func (g *guardedFS) MkdirAll(string) error { return errReadOnly }

// RemoveAll refuses.
func (g *guardedFS) RemoveAll(string) error { return errReadOnly }

// WriteFile refuses.
func (g *guardedFS) WriteFile(string, []byte) error { return errReadOnly }

// withOrigins adds originAnnotations to the kustomization's buildMetadata.
func withOrigins(data []byte) ([]byte, error) {
	root, err := yaml.Parse(string(data))
	if err != nil {
		return data, nil // kustomize reports the syntax error
	}
	if root.YNode().Kind != yaml.MappingNode {
		return data, nil
	}
	list, err := root.Pipe(yaml.LookupCreate(yaml.SequenceNode, "buildMetadata"))
	if err != nil || list == nil {
		return data, nil
	}
	for _, n := range list.Content() {
		if n.Value == "originAnnotations" {
			return data, nil
		}
	}
	list.YNode().Content = append(list.YNode().Content, yaml.NewStringRNode("originAnnotations").YNode())
	s, err := root.String()
	if err != nil {
		return data, nil
	}
	return []byte(s), nil
}

// readBounded reads a regular file of at most limit bytes without blocking
// on a FIFO.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, errNotRegular
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("file is larger than the limit of %d bytes", limit)
	}
	return data, nil
}
