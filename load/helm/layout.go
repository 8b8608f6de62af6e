package helm

import (
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"sigs.k8s.io/yaml"
)

// layout maps Helm's template names ("top/charts/sub/templates/x.yaml",
// built from chart names and aliases) back to the files they were read
// from, as the user sees them.
type layout struct {
	// dir is the chart directory as the user named it.
	dir string
	// meta holds each chart's Chart.yaml by directory ("" for the top
	// chart, "charts/sub/" for a subchart).
	meta map[string]*chart.Metadata
	// shown maps unpacked archive directories to the archive
	// ("charts/sub/" -> "charts/sub-1.0.0.tgz/").
	shown map[string]string
}

var chartDir = regexp.MustCompile(`^(charts/[^/]+/)*$`)

func newLayout(dir string, files []*loader.BufferedFile, shown map[string]string) *layout {
	l := &layout{dir: dir, meta: map[string]*chart.Metadata{}, shown: shown}
	for _, f := range files {
		prefix, ok := strings.CutSuffix(f.Name, "Chart.yaml")
		if !ok || !chartDir.MatchString(prefix) {
			continue
		}
		md := new(chart.Metadata)
		if yaml.Unmarshal(f.Data, md) == nil {
			l.meta[prefix] = md
		}
	}
	return l
}

// sub returns the directory of the subchart that parent's templates call
// name (a chart name or an alias).
func (l *layout) sub(parent, name string) string {
	target := name
	if md := l.meta[parent]; md != nil {
		for _, d := range md.Dependencies {
			if d != nil && d.Alias == name {
				target = d.Name
			}
		}
	}
	var found []string
	for dir, md := range l.meta {
		rest, ok := strings.CutPrefix(dir, parent+"charts/")
		if ok && strings.Count(rest, "/") == 1 && md.Name == target {
			found = append(found, dir)
		}
	}
	if len(found) == 0 {
		return parent + "charts/" + name + "/"
	}
	sort.Strings(found)
	return found[0]
}

// file returns the chart-relative file a template name refers to.
func (l *layout) file(template string) string {
	_, rest, ok := strings.Cut(template, "/")
	if !ok {
		return template
	}
	prefix := ""
	for {
		sub, ok := strings.CutPrefix(rest, "charts/")
		if !ok {
			return prefix + rest
		}
		name, after, ok := strings.Cut(sub, "/")
		if !ok {
			return prefix + rest
		}
		prefix, rest = l.sub(prefix, name), after
	}
}

// display returns the path of a chart-relative file as the user sees it:
// under the chart directory, with unpacked archives named as archives.
func (l *layout) display(rel string) string {
	keys := make([]string, 0, len(l.shown))
	for k := range l.shown {
		keys = append(keys, k)
	}
	// Longest first: a nested archive's directory is named inside its
	// parent's unpacked directory.
	sort.Slice(keys, func(i, j int) bool { return len(keys[i]) > len(keys[j]) })
	for _, k := range keys {
		if strings.HasPrefix(rel, k) {
			rel = l.shown[k] + strings.TrimPrefix(rel, k)
		}
	}
	return filepath.Join(l.dir, filepath.FromSlash(path.Clean(rel)))
}

// errLocation finds the first template position Helm names in an error
// ("top/templates/x.yaml:12:20") and returns the file and line.
var errLocation = regexp.MustCompile(`([^\s():]+/templates/[^\s():]+):(\d+)(?::(\d+))?`)

func (l *layout) locate(msg string) (file string, line, col int, ok bool) {
	m := errLocation.FindStringSubmatch(msg)
	if m == nil {
		return "", 0, 0, false
	}
	line, _ = strconv.Atoi(m[2])
	if m[3] != "" {
		col, _ = strconv.Atoi(m[3])
	}
	return l.file(m[1]), line, col, true
}
