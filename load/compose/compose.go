package compose

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v4"

	"github.com/immutcheck/immutcheck/model"
)

// Format is the model.File format and model.Workload source of compose
// files.
const Format = "compose"

// ErrLoaderPanic is the error of a file whose loading panicked; it is a bug
// to report.
var ErrLoaderPanic = errors.New("internal error: the compose loader panicked")

// MaxBytes bounds a compose file. Real ones are tens of kilobytes;
// compose-go reads about 0.1–0.5 MB/s, less on deeply nested input.
const MaxBytes = 1 << 20

// maxErrLen bounds how much of a loader message is kept.
const maxErrLen = 300

// Load parses a compose file read from path ("-" for standard input). A
// .env file next to it, and files it includes or extends inside its
// directory, are read too.
func Load(path string, data []byte) (f *model.File) {
	f = &model.File{Path: path, Format: Format}
	defer func() {
		// compose-go is third-party code fed with hostile input: a panic
		// in it rejects this file instead of ending the scan.
		if r := recover(); r != nil {
			f.Workloads = nil
			f.Problems = []model.Problem{{Kind: model.Rejected, Location: model.Location{File: path},
				Err: fmt.Errorf("%w: %.100v", ErrLoaderPanic, r)}}
		}
	}()
	if len(data) > MaxBytes {
		f.Problems = append(f.Problems, model.Problem{Kind: model.Rejected, Location: model.Location{File: path, Line: 1},
			Err: fmt.Errorf("compose file is larger than %d bytes", MaxBytes)})
		return f
	}
	ix, err := newIndex(path, data)
	if err != nil {
		f.Problems = append(f.Problems, problem(path, data, nil, "", fmt.Errorf("parse compose file: %w", err)))
		return f
	}
	root, dir := "", "."
	if path != "-" {
		dir = filepath.Dir(path)
		if abs, err := filepath.Abs(dir); err == nil {
			if real, err := filepath.EvalSymlinks(abs); err == nil {
				root = real
			}
		}
	}
	g := &guard{root: root}
	project, err := load(path, data, dir, g, ix)
	if err != nil {
		f.Problems = append(f.Problems, problem(path, data, ix, root, err))
		return f
	}
	env := func(k string) (string, bool) { v, ok := project.Environment[k]; return v, ok }
	others := g.indexes(dir)
	for _, name := range project.ServiceNames() {
		f.Workloads = append(f.Workloads, workload(indexOf(name, ix, others), env, project.Services[name]))
	}
	attachIgnores(f.Workloads, ix, data)
	return f
}

// load runs compose-go with the spec's semantics and this package's
// restrictions (see the package documentation).
//
// Unset variables are first kept as written. Where that makes a value
// invalid (a port "${PORT}:80"), the file is loaded again with the spec's
// rule, unset means empty, which is what compose itself would run; image
// references are then taken from the file with the variables kept (see
// workload), so an unresolved image never reads as a different image.
func load(path string, data []byte, dir string, g *guard, ix *index) (*types.Project, error) {
	env := map[string]string{}
	root := g.root
	if root != "" {
		var err error
		if env, err = readDotEnv(g); err != nil {
			return nil, err
		}
		if err := g.checkIncludeNode(topValue(ix, "include"), root); err != nil {
			return nil, err
		}
	}
	project, err := loadWith(path, data, dir, root, env, g, substitute)
	if err == nil {
		return project, nil
	}
	if p, err2 := loadWith(path, data, dir, root, env, g, substituteEmpty); err2 == nil {
		return p, nil
	}
	return nil, err
}

func loadWith(path string, data []byte, dir, root string, env map[string]string, g *guard, subst func(string, template.Mapping) (string, error)) (*types.Project, error) {
	details := types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: []types.ConfigFile{{Filename: path, Content: data}},
		Environment: maps.Clone(env),
	}
	name := loader.NormalizeProjectName(filepath.Base(root))
	if name == "" {
		name = "default"
	}
	return loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.SetProjectName(name, false)
		o.Profiles = []string{"*"}
		o.ResolvePaths = false
		o.SkipResolveEnvironment = true
		o.SkipResolveLabels = true
		o.ResourceLoaders = []loader.ResourceLoader{g}
		o.Interpolate.Substitute = subst
	})
}

// topValue returns the value node of a top-level key, or nil.
func topValue(ix *index, key string) *yaml.Node {
	if f, ok := ix.top[key]; ok {
		return f.val
	}
	return nil
}

// indexes indexes the files read through include and extends, naming them
// by their path relative to dir (the compose file's directory as the user
// named it). Files that do not parse are left out.
func (g *guard) indexes(dir string) []*index {
	var out []*index
	for _, real := range slices.Sorted(maps.Keys(g.read)) {
		rel, err := filepath.Rel(g.root, real)
		if err != nil {
			continue
		}
		if ix, err := newIndex(filepath.Join(dir, rel), g.read[real]); err == nil {
			out = append(out, ix)
		}
	}
	return out
}

// indexOf returns the index that declares service name: the compose file's
// own, else an included file's. A service declared nowhere in reach is
// located at the compose file.
func indexOf(name string, main *index, others []*index) *index {
	if _, ok := main.services[name]; ok {
		return main
	}
	for _, ix := range others {
		if _, ok := ix.services[name]; ok {
			return ix
		}
	}
	return main
}
