package compose

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/consts"
	"go.yaml.in/yaml/v4"
)

// errOutside is returned for a file outside the compose file's tree.
var errOutside = errors.New("is outside the compose file's directory")

// guard is the only resource loader compose-go gets. It is tried before
// compose-go's own local loader and accepts every path, so every file that
// include and extends name passes through it: the file must resolve (after
// symbolic links) inside root, be a regular file within the size bound, and
// its own include entries must not point outside root either. Nothing is
// fetched over the network.
//
// Because it accepts every path, compose-go also treats every relative path
// as "remote" and does not make it absolute: paths stay as written.
type guard struct {
	root string // the compose file's directory, absolute, links resolved; "" for stdin
	// read holds the files let through, by resolved path, so that the
	// services they declare can be located.
	read map[string][]byte
}

// Accept implements loader.ResourceLoader.
func (g *guard) Accept(string) bool { return true }

// Load implements loader.ResourceLoader: it returns the absolute path of a
// file that may be read, or an error.
func (g *guard) Load(ctx context.Context, p string) (string, error) {
	if g.root == "" {
		return "", fmt.Errorf("include or extends of %q: not allowed for standard input", p)
	}
	if strings.Contains(p, "://") {
		return "", fmt.Errorf("include or extends of %q: remote resources are not loaded", p)
	}
	base := g.root
	if cur, ok := ctx.Value(consts.ComposeFileKey{}).(string); ok && cur != "" {
		if abs, err := filepath.Abs(cur); err == nil {
			base = filepath.Dir(abs)
		}
	}
	real, err := g.inside(base, p)
	if err != nil {
		return "", fmt.Errorf("include or extends of %q: %w", p, err)
	}
	data, err := readBounded(real, MaxBytes)
	if err != nil {
		return "", fmt.Errorf("include or extends of %q: %w", p, err)
	}
	// The same bounds as the compose file itself.
	if _, err := newIndex(p, data); err != nil {
		return "", fmt.Errorf("include or extends of %q: %w", p, err)
	}
	if err := g.checkIncludes(data, filepath.Dir(real)); err != nil {
		return "", fmt.Errorf("include or extends of %q: %w", p, err)
	}
	if g.read == nil {
		g.read = map[string][]byte{}
	}
	g.read[real] = data
	return real, nil
}

// Dir implements loader.ResourceLoader: the folder of a resource.
func (g *guard) Dir(p string) string { return filepath.Dir(p) }

// inside resolves p against base and checks that the result, with links
// resolved, lies in root.
func (g *guard) inside(base, p string) (string, error) {
	abs := p
	if !filepath.IsAbs(p) {
		abs = filepath.Join(base, p)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", errors.New("no such file")
	}
	rel, err := filepath.Rel(g.root, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", errOutside
	}
	return real, nil
}

// checkIncludes checks the include entries of a compose file in dir: the
// env_file and project_directory that compose-go reads without a resource
// loader must stay inside root. Their paths are taken as written; one that
// uses a variable cannot be checked and is refused.
func (g *guard) checkIncludes(data []byte, dir string) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			return nil // end of stream, or a syntax error compose-go reports
		}
		if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
			continue
		}
		if err := g.checkIncludeNode(mappingValue(doc.Content[0], "include"), dir); err != nil {
			return err
		}
	}
}

func (g *guard) checkIncludeNode(inc *yaml.Node, dir string) error {
	if inc == nil || inc.Kind != yaml.SequenceNode {
		return nil
	}
	for _, entry := range inc.Content {
		if entry.Kind != yaml.MappingNode {
			continue
		}
		for _, key := range []string{"env_file", "project_directory"} {
			v := mappingValue(entry, key)
			if v == nil {
				continue
			}
			paths := []*yaml.Node{v}
			if v.Kind == yaml.SequenceNode {
				paths = v.Content
			}
			for _, p := range paths {
				if p.Kind != yaml.ScalarNode || p.Value == "/dev/null" {
					continue
				}
				if strings.Contains(p.Value, "$") {
					return fmt.Errorf("line %d: include %s uses a variable", p.Line, key)
				}
				if _, err := g.inside(dir, p.Value); errors.Is(err, errOutside) {
					return fmt.Errorf("line %d: include %s %w", p.Line, key, err)
				}
			}
		}
	}
	return nil
}

// mappingValue returns the value of key in mapping m, or nil. Aliases are
// not followed.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}
