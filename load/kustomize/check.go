package kustomize

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// maxKustomizations caps the kustomizations one build may visit.
const maxKustomizations = 256

// kustDirKeys are the fields whose entries may be directories that
// kustomize builds as kustomizations.
var kustDirKeys = map[string]bool{
	"resources": true, "bases": true, "components": true,
	"generators": true, "transformers": true, "validators": true,
}

// kustFileNames are the names kustomize accepts, in its order.
var kustFileNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// kustFile returns the kustomization file in dir.
func kustFile(dir string) (string, bool) {
	for _, n := range kustFileNames {
		p := filepath.Join(dir, n)
		if info, err := os.Stat(p); err == nil && info.Mode().IsRegular() {
			return p, true
		}
	}
	return "", false
}

// locatedError is a failure at a line of a file.
type locatedError struct {
	File string
	Line int
	Err  error
}

func (e *locatedError) Error() string { return e.Err.Error() }
func (e *locatedError) Unwrap() error { return e.Err }

// precheck reads the kustomization in dir and, recursively, those of the
// local bases and components it names, and reports what kustomize must not
// be asked to do: fetch a remote resource or run helm. It checks before
// building because kustomize would fetch first and fail later.
func precheck(dir string) []error {
	seen := map[string]bool{}
	var errs []error
	var visit func(dir string)
	visit = func(dir string) {
		file, ok := kustFile(dir)
		if !ok {
			return // kustomize reports it
		}
		abs, err := filepath.Abs(file)
		if err != nil || seen[abs] {
			return
		}
		if len(seen) >= maxKustomizations {
			errs = append(errs, &locatedError{File: file, Err: fmt.Errorf("more than %d kustomizations", maxKustomizations)})
			return
		}
		seen[abs] = true
		data, err := readBounded(file, MaxFileBytes)
		if err != nil {
			errs = append(errs, &locatedError{File: file, Err: fmt.Errorf("read kustomization: %w", err)})
			return
		}
		root, err := yaml.Parse(string(data))
		if err != nil {
			return // kustomize reports it, with its own message
		}
		rs, helm := refs(root)
		for _, h := range helm {
			errs = append(errs, &locatedError{File: file, Line: h.Line, Err: fmt.Errorf("%s not inflated: it runs helm; check the chart on its own", h.Value)})
		}
		for _, r := range rs {
			switch {
			case r.Remote:
				errs = append(errs, &locatedError{File: file, Line: r.Line, Err: &remoteError{Value: r.Value}})
			case kustDirKeys[r.Key]:
				sub := filepath.Join(dir, r.Value)
				if info, err := os.Stat(sub); err == nil && info.IsDir() {
					visit(sub)
				}
			}
		}
	}
	visit(dir)
	return errs
}

var errNotRegular = errors.New("not a regular file")
