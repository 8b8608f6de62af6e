package kustomize

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/api/types"

	"github.com/immutcheck/immutcheck/load/kube"
	"github.com/immutcheck/immutcheck/model"
)

// Options configure the build.
type Options struct {
	// Kube bounds the decoding of each built object.
	Kube kube.Options
}

// maxErrorBytes caps the kustomize error text kept in a problem: some of
// its errors quote whole objects.
const maxErrorBytes = 500

// Load builds the kustomization in dir and decodes every built object,
// located in the file that declared it. A kustomization that cannot be
// built yields Rejected problems naming the kustomization file.
func Load(ctx context.Context, dir string, opts Options) *model.File {
	f := &model.File{Path: dir, Format: "kustomize"}
	if errs := precheck(dir); len(errs) > 0 {
		for _, err := range errs {
			f.Problems = append(f.Problems, problem(dir, err))
		}
		return f
	}
	objs, err := objects(ctx, dir)
	if err != nil {
		f.Problems = append(f.Problems, problem(dir, err))
		return f
	}
	for _, o := range objs {
		if o.Err != nil {
			f.Problems = append(f.Problems, model.Problem{Kind: model.Rejected, Location: model.Location{File: o.File}, Object: o.ID, Err: o.Err})
			continue
		}
		kube.Decode(f, o.File, []byte(o.Text), opts.Kube)
	}
	return f
}

// object is one built object as it is decoded: its YAML, shifted to its
// line in File, the file that declared it.
type object struct {
	File string
	ID   string
	Text string
	Err  error
}

// objects builds dir and returns the built objects, located.
func objects(ctx context.Context, dir string) ([]object, error) {
	m, err := build(ctx, dir)
	if err != nil {
		return nil, err
	}
	docs := newOriginIndex()
	var out []object
	for _, r := range m.Resources() {
		out = append(out, locate(dir, r, docs))
	}
	return out, nil
}

// build runs krusty with loading restricted to the root, builtin plugins
// only (no exec or container functions) and helm disabled.
func build(ctx context.Context, dir string) (resmap.ResMap, error) {
	o := krusty.MakeDefaultOptions()
	o.LoadRestrictions = types.LoadRestrictionsRootOnly
	o.PluginConfig = types.DisabledPluginConfig()
	k := krusty.MakeKustomizer(o)
	type result struct {
		m   resmap.ResMap
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{err: fmt.Errorf("kustomize build: panic: %v", r)}
			}
		}()
		m, err := k.Run(newGuardedFS(dir), dir)
		done <- result{m, err}
	}()
	select {
	case <-ctx.Done():
		// krusty takes no context: the build is abandoned, not stopped.
		return nil, fmt.Errorf("kustomize build: %w", ctx.Err())
	case r := <-done:
		if r.err != nil {
			return nil, &buildError{msg: shorten(r.err.Error())}
		}
		return r.m, nil
	}
}

// locate serializes one built object without its origin annotation and
// places it in its origin file.
func locate(dir string, r *resource.Resource, docs *originIndex) object {
	file, _ := kustFile(dir)
	start := 0
	origin, err := r.GetOrigin()
	if err == nil && origin != nil {
		switch {
		case origin.Path != "" && origin.Repo == "":
			file = filepath.Join(dir, filepath.FromSlash(origin.Path))
			id := r.OrgId()
			start = docs.start(file, id.Kind, id.Name)
		case origin.ConfiguredIn != "" && origin.Repo == "":
			file = filepath.Join(dir, filepath.FromSlash(origin.ConfiguredIn))
		}
	}
	o := object{File: file, ID: r.CurId().String()}
	if err := r.SetOrigin(nil); err != nil {
		o.Err = fmt.Errorf("strip origin annotation: %w", err)
		return o
	}
	text, err := r.RNode.String()
	if err != nil {
		o.Err = fmt.Errorf("serialize built object: %w", err)
		return o
	}
	if start > 1 {
		// Blank lines shift the object to where its document starts.
		text = strings.Repeat("\n", start-1) + text
	}
	o.Text = text
	return o
}

// buildError is a kustomize build failure, kept as shortened text.
type buildError struct{ msg string }

func (e *buildError) Error() string { return "kustomize build: " + e.msg }

func shorten(msg string) string {
	if len(msg) <= maxErrorBytes {
		return msg
	}
	cut := maxErrorBytes
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut] + "..."
}

var errLine = regexp.MustCompile(`\bline (\d+)`)

// problem turns a failure into a Rejected problem located in the
// kustomization file, at the line the error names when it names one.
func problem(dir string, err error) model.Problem {
	file, ok := kustFile(dir)
	if !ok {
		file = dir
	}
	loc := model.Location{File: file}
	var le *locatedError
	var be *buildError
	switch {
	case errors.As(err, &le):
		loc = model.Location{File: le.File, Line: le.Line}
		err = le.Err
	case errors.As(err, &be):
		// A line is one of the kustomization only when the error is not
		// about a file it accumulates.
		if m := errLine.FindStringSubmatch(be.msg); m != nil && !strings.Contains(be.msg, "accumulat") {
			loc.Line, _ = strconv.Atoi(m[1])
		}
	}
	return model.Problem{Kind: model.Rejected, Location: loc, Err: err}
}
