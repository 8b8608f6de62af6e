package helm

import (
	"context"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"

	"github.com/immutcheck/immutcheck/load/kube"
	"github.com/immutcheck/immutcheck/model"
)

// Options configure rendering.
type Options struct {
	// ValueFiles and Set are applied over the chart's default values, as
	// helm's --values and --set.
	ValueFiles []string
	Set        []string
	// Kube bounds the decoding of each rendered template.
	Kube kube.Options
	// Bound, when set, renders in a bounded child process; nil renders
	// in this process, bounded in time only by ctx.
	Bound *Bound
}

// ReleaseName and ReleaseNamespace are the release that charts are rendered
// as. They are fixed so that findings are stable from run to run.
const (
	ReleaseName      = "release"
	ReleaseNamespace = "default"
)

// Load renders the chart in dir, a chart directory or a packaged chart
// (.tgz), and decodes every rendered template. A chart that cannot be read
// or rendered yields a File with one Rejected problem.
func Load(ctx context.Context, dir string, opts Options) *model.File {
	f := &model.File{Path: dir, Format: "helm"}
	if opts.Bound != nil {
		resp, err := renderChild(ctx, dir, opts, opts.Bound)
		switch {
		case err != nil:
			f.Problems = append(f.Problems, model.Problem{Kind: model.Rejected, Location: model.Location{File: dir}, Err: err})
		case resp.Problem != nil:
			f.Problems = append(f.Problems, model.Problem{Kind: model.Rejected, Location: *resp.Problem, Err: errors.New(resp.Error)})
		default:
			for i, name := range resp.Names {
				kube.Decode(f, name, []byte(resp.Texts[i]), opts.Kube)
			}
		}
		return f
	}
	rendered, l, err := render(ctx, dir, opts)
	if err != nil {
		f.Problems = append(f.Problems, problem(dir, l, err))
		return f
	}
	names := make([]string, 0, len(rendered))
	for name := range rendered {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		kube.Decode(f, l.display(l.file(name)), []byte(rendered[name]), opts.Kube)
	}
	return f
}

// render loads the chart, merges the values and renders the templates, as
// `helm template` would. The result maps Helm's template names to rendered
// manifests; NOTES.txt, partials and empty output are left out.
func render(ctx context.Context, dir string, opts Options) (map[string]string, *layout, error) {
	l := &layout{dir: dir}
	b := newBudget()
	files, err := readChart(dir, b)
	if err != nil {
		return nil, l, err
	}
	files, shown, err := unpack(files, b)
	if err != nil {
		return nil, l, err
	}
	l = newLayout(dir, files, shown)
	for _, f := range files {
		if path.Base(f.Name) == "values.yaml" {
			if err := valuesKeys(f.Data); err != nil {
				return nil, l, &fileError{File: f.Name, Err: fmt.Errorf("parse values: %w", err)}
			}
		}
	}
	c, err := loadChart(files, l)
	if err != nil {
		return nil, l, err
	}
	vals, err := userValues(opts.ValueFiles, opts.Set)
	if err != nil {
		return nil, l, err
	}
	if err := chartutil.ProcessDependenciesWithMerge(c, vals); err != nil {
		return nil, l, &fileError{File: "Chart.yaml", Err: fmt.Errorf("process dependencies: %w", err)}
	}
	caps := chartutil.DefaultCapabilities.Copy()
	if kv := c.Metadata.KubeVersion; kv != "" && !chartutil.IsCompatibleRange(kv, caps.KubeVersion.String()) {
		return nil, l, &fileError{File: "Chart.yaml", Err: fmt.Errorf("chart requires kubeVersion %s, incompatible with Kubernetes %s", kv, caps.KubeVersion.String())}
	}
	relOpts := chartutil.ReleaseOptions{Name: ReleaseName, Namespace: ReleaseNamespace, Revision: 1, IsInstall: true}
	top, err := chartutil.ToRenderValuesWithSchemaValidation(c, vals, relOpts, caps, true)
	if err != nil {
		return nil, l, &fileError{File: "values.yaml", Err: fmt.Errorf("coalesce values: %w", err)}
	}
	values, _ := top["Values"].(chartutil.Values)
	if err := validateValues(c, values, "", l.sub); err != nil {
		return nil, l, err
	}
	out, err := renderTemplates(ctx, c, top)
	if err != nil {
		return nil, l, err
	}
	for name, text := range out {
		if path.Base(name) == "NOTES.txt" || strings.TrimSpace(text) == "" {
			delete(out, name)
		}
	}
	return out, l, nil
}

// loadChart builds the chart from the files read, checks the names Helm
// would later turn into paths, and checks that every declared dependency
// is vendored.
func loadChart(files []*loader.BufferedFile, l *layout) (*chart.Chart, error) {
	c, err := loader.LoadFiles(files)
	if err != nil {
		return nil, &fileError{File: "Chart.yaml", Err: fmt.Errorf("load chart: %w", err)}
	}
	if err := checkNames(c, "", l.sub); err != nil {
		return nil, err
	}
	var missing []string
	for _, d := range c.Metadata.Dependencies {
		if d == nil || !hasDependency(c, d.Name) {
			if d != nil {
				missing = append(missing, d.Name)
			}
		}
	}
	if len(missing) > 0 {
		return nil, &fileError{File: "Chart.yaml", Err: fmt.Errorf("dependency %s not vendored; run helm dependency build", strings.Join(missing, ", "))}
	}
	return c, nil
}

func hasDependency(c *chart.Chart, name string) bool {
	for _, d := range c.Dependencies() {
		if d.Name() == name {
			return true
		}
	}
	return false
}

// checkNames refuses chart names that are not plain names. Helm's own
// validation refuses "." and ".." and names with the host's separator;
// this also refuses the other separator and control characters, in every
// subchart.
func checkNames(c *chart.Chart, prefix string, sub func(parent, name string) string) error {
	name := c.Name()
	if name == "." || name == ".." || strings.ContainsAny(name, `/\:`) || strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return &fileError{File: prefix + "Chart.yaml", Err: fmt.Errorf("chart name %q is not allowed", name)}
	}
	for _, d := range c.Dependencies() {
		if err := checkNames(d, sub(prefix, d.Name()), sub); err != nil {
			return err
		}
	}
	return nil
}

// problem turns a rendering failure into a Rejected problem located in the
// chart file it names, or in the chart directory.
func problem(dir string, l *layout, err error) model.Problem {
	loc := model.Location{File: dir}
	var fe *fileError
	var ve *valuesError
	var re *renderError
	switch {
	case errors.As(err, &re):
		if file, line, col, ok := l.locate(re.msg); ok {
			loc = model.Location{File: l.display(file), Line: line, Column: col}
		}
	case errors.As(err, &fe):
		loc = model.Location{File: l.display(fe.File)}
		if err == error(fe) {
			// The location names the file; keep only the cause.
			err = fe.Err
		}
	case errors.As(err, &ve) && ve.File != "":
		loc = model.Location{File: ve.File}
	}
	return model.Problem{Kind: model.Rejected, Location: loc, Err: err}
}
