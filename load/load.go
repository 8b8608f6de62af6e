package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/immutcheck/immutcheck/internal/regfile"
	"github.com/immutcheck/immutcheck/load/cloudformation"
	"github.com/immutcheck/immutcheck/load/compose"
	"github.com/immutcheck/immutcheck/load/dockerfile"
	"github.com/immutcheck/immutcheck/load/ecs"
	"github.com/immutcheck/immutcheck/load/helm"
	"github.com/immutcheck/immutcheck/load/kube"
	"github.com/immutcheck/immutcheck/load/kustomize"
	"github.com/immutcheck/immutcheck/load/nomad"
	"github.com/immutcheck/immutcheck/load/packer"
	"github.com/immutcheck/immutcheck/load/pulumi"
	"github.com/immutcheck/immutcheck/load/terraform"
	"github.com/immutcheck/immutcheck/load/tfconfig"
	"github.com/immutcheck/immutcheck/model"
)

// Options shape loading.
type Options struct {
	Limits Limits
	// HelmValues are values files and HelmSet are --set overrides for every
	// chart.
	HelmValues []string
	HelmSet    []string
	// HelmBound, when set, renders every chart in a bounded child
	// process (see helm.Bound); nil renders in this process.
	HelmBound *helm.Bound
	// Exclude reports whether a path (slash-separated, as walked) is
	// excluded; nil excludes nothing.
	Exclude func(path string) bool
	// Stdin is read for the path "-".
	Stdin io.Reader
}

// Input is one thing to load: a file, a chart or kustomization directory, or
// standard input.
type Input struct {
	Path string
	Kind Kind
	// Named is true when the user named this path directly: an input that
	// is not recognised is then an error rather than skipped.
	Named bool
	// NotFollowed, when set, says why a symbolic link met in a directory
	// was not followed; loading the input reports it as a problem.
	NotFollowed string
}

// Walk calls fn for every input under paths, in lexical order per path. A
// directory holding Chart.yaml is a Helm chart and one holding
// kustomization.yaml is a Kustomize root; neither is descended into. Hidden
// directories and non-regular files are skipped in directories. A symbolic
// link is followed when it resolves to a regular file inside one of the
// paths; a link to a directory inside them is not descended (its files are
// walked where they are); every other link with a declaration's name, or
// to a directory, is reported as an input that is NotFollowed, never
// skipped silently. A path that does not exist is reported as an input of
// kind Unknown, so that loading it reports the error.
func Walk(ctx context.Context, paths []string, opts Options, fn func(Input) error) error {
	for _, root := range paths {
		if root == "-" {
			if err := fn(Input{Path: "-", Named: true}); err != nil {
				return err
			}
			continue
		}
		info, err := os.Stat(root)
		if err != nil || !info.IsDir() {
			k, _ := kindOfName(root)
			if err == nil {
				if d := dirKind(filepath.Dir(root)); d == HelmChart && filepath.Base(root) == "Chart.yaml" {
					k, root = HelmChart, filepath.Dir(root)
				}
			}
			if err := fn(Input{Path: root, Kind: k, Named: true}); err != nil {
				return err
			}
			continue
		}
		roots := realRoots(paths)
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return ctxErr
			}
			if err != nil {
				// Unreadable directory: report it as an input that fails.
				return fn(Input{Path: p, Kind: Unknown, Named: true})
			}
			if opts.Exclude != nil && p != root && opts.Exclude(filepath.ToSlash(p)) {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				if p != root && len(d.Name()) > 1 && d.Name()[0] == '.' {
					return filepath.SkipDir
				}
				if k := dirKind(p); k != Unknown {
					if err := fn(Input{Path: p, Kind: k, Named: p == root}); err != nil {
						return err
					}
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				in, ok := link(p, roots)
				if !ok {
					return nil
				}
				return fn(in)
			}
			if !d.Type().IsRegular() {
				return nil
			}
			k, maybe := kindOfName(p)
			if k == Unknown && !maybe {
				return nil
			}
			return fn(Input{Path: p, Kind: k})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// dirKind tells whether dir is a Helm chart or a Kustomize root.
func dirKind(dir string) Kind {
	if fileExists(filepath.Join(dir, "Chart.yaml")) {
		return HelmChart
	}
	for _, n := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		if fileExists(filepath.Join(dir, n)) {
			return Kustomization
		}
	}
	return Unknown
}

func fileExists(p string) bool {
	info, err := os.Lstat(p)
	return err == nil && info.Mode().IsRegular()
}

// Load reads one input into a model.File. It returns nil when the input is
// a YAML or JSON file found in a directory that is not a declaration (a
// values file, a CI workflow).
func Load(ctx context.Context, in Input, opts Options) *model.File {
	switch in.Kind {
	case HelmChart:
		return helm.Load(ctx, in.Path, helm.Options{ValueFiles: opts.HelmValues, Set: opts.HelmSet, Kube: kubeOptions(opts.Limits), Bound: opts.HelmBound})
	case Kustomization:
		return kustomize.Load(ctx, in.Path, kustomize.Options{Kube: kubeOptions(opts.Limits)})
	}
	if in.NotFollowed != "" {
		return rejected(in, errors.New(in.NotFollowed))
	}
	data, err := readInput(in, opts)
	if err != nil {
		return rejected(in, err)
	}
	kind := in.Kind
	if kind == Unknown {
		kind = sniff(data)
		if kind == Dockerfile && in.Path != "-" {
			kind = Unknown
		}
	}
	switch kind {
	case Manifest:
		return kube.Load(in.Path, data, kubeOptions(opts.Limits))
	case Dockerfile:
		return dockerfile.Load(in.Path, data)
	case Compose:
		return compose.Load(in.Path, data)
	case TerraformPlan:
		return terraform.Load(in.Path, data)
	case TerraformConfig:
		return tfconfig.Load(in.Path, data)
	case CloudFormation:
		return cloudformation.Load(in.Path, data)
	case ECS:
		return ecs.Load(in.Path, data)
	case Nomad:
		return nomad.Load(in.Path, data)
	case Packer:
		return packer.Load(in.Path, data)
	case Pulumi:
		return pulumi.Load(in.Path, data)
	}
	if in.Named {
		return rejected(in, errors.New("not a recognised declaration (Kubernetes manifest, Helm chart, Kustomize directory, Dockerfile, compose file, Terraform plan or configuration, CloudFormation template or change set, Pulumi preview, ECS task or service definition, Nomad job, Packer template)"))
	}
	return nil
}

func kubeOptions(l Limits) kube.Options {
	return kube.Options{MaxObjectBytes: l.MaxObjectBytes, MaxDocuments: l.MaxDocuments}
}

// readInput reads a file or standard input, bounded by the file limit. A
// path must be a regular file (a FIFO would block, /dev/zero never end);
// a pipe is read as standard input, "-".
func readInput(in Input, opts Options) ([]byte, error) {
	limit := opts.Limits.MaxFileBytes
	if limit <= 0 {
		limit = DefaultMaxFileBytes
	}
	if in.Path == "-" {
		if opts.Stdin == nil {
			return nil, errors.New("no standard input")
		}
		return ReadAll(opts.Stdin, limit, "standard input")
	}
	f, info, err := regfile.Open(in.Path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info.Size() > limit {
		return nil, &TooLargeError{What: "file", Limit: limit}
	}
	return ReadAll(f, limit, "file")
}

func rejected(in Input, err error) *model.File {
	var pe *fs.PathError
	var nr *regfile.NotRegularError
	switch {
	case errors.As(err, &nr):
		err = fmt.Errorf("read: %s; read a pipe as -", nr.Reason())
	case errors.As(err, &pe):
		err = fmt.Errorf("read: %w", pe.Err)
	}
	return &model.File{
		Path:     in.Path,
		Format:   in.Kind.String(),
		Problems: []model.Problem{{Kind: model.Rejected, Location: model.Location{File: in.Path}, Err: err}},
	}
}
