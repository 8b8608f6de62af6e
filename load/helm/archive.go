package helm

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"syscall"

	"helm.sh/helm/v3/pkg/chart/loader"
)

// unpack replaces every subchart archive (charts/x.tgz, at any depth) by its
// files under charts/x/, charging them to the chart budget, so that Helm's
// loader never unpacks an archive itself: its own cap is 100 MiB per
// archive, and a chart with many archives, or archives nested in archives,
// would otherwise inflate far beyond that. It returns the files and, for
// each unpacked directory, the archive it came from ("charts/x/" ->
// "charts/x.tgz/").
func unpack(files []*loader.BufferedFile, b *budget) ([]*loader.BufferedFile, map[string]string, error) {
	shown := map[string]string{}
	dirs := map[string]bool{}
	addDirs := func(files []*loader.BufferedFile) {
		for _, f := range files {
			for d := path.Dir(f.Name); d != "."; d = path.Dir(d) {
				dirs[d+"/"] = true
			}
		}
	}
	addDirs(files)
	var out []*loader.BufferedFile
	for len(files) > 0 {
		f := files[0]
		files = files[1:]
		if !isSubchartArchive(f.Name) {
			out = append(out, f)
			continue
		}
		// The archive's own bytes were charged when read; its contents
		// are charged below.
		dir := strings.TrimSuffix(f.Name, ".tgz") + "/"
		if dirs[dir] {
			return nil, nil, &fileError{File: f.Name, Err: fmt.Errorf("subchart archive and directory %s both present", dir)}
		}
		inner, err := unpackArchive(f.Data, b)
		if err != nil {
			return nil, nil, &fileError{File: f.Name, Err: fmt.Errorf("unpack subchart: %w", err)}
		}
		shown[dir] = f.Name + "/"
		for _, g := range inner {
			g.Name = dir + g.Name
		}
		// Archives nested in this one are checked against its
		// directories when their turn comes.
		addDirs(inner)
		files = append(files, inner...)
	}
	return out, shown, nil
}

// isSubchartArchive reports whether name is an archive that Helm's loader
// would unpack as a subchart: charts/<name>.tgz directly under the chart
// or under a subchart directory, not starting with "_" or ".".
func isSubchartArchive(name string) bool {
	dir, base := path.Split(name)
	if path.Ext(base) != ".tgz" || strings.IndexAny(base, "_.") == 0 {
		return false
	}
	parts := strings.Split(strings.TrimSuffix(dir, "/"), "/")
	if len(parts)%2 != 1 || parts[len(parts)-1] != "charts" {
		return false
	}
	for i := 0; i+1 < len(parts); i += 2 {
		if parts[i] != "charts" || strings.IndexAny(parts[i+1], "_.") == 0 {
			return false
		}
	}
	return true
}

// unpackArchive measures the inflated size first, streaming and without
// keeping anything, then lets Helm's archive reader (which does the path
// checks) unpack it within the budget.
func unpackArchive(data []byte, b *budget) ([]*loader.BufferedFile, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	n, err := io.Copy(io.Discard, io.LimitReader(zr, b.bytes+1))
	if err != nil {
		return nil, err
	}
	if n > b.bytes {
		return nil, fmt.Errorf("chart is larger than the limit of %d bytes", int64(MaxChartBytes))
	}
	files, err := loader.LoadArchiveFiles(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if err := b.take(int64(len(f.Data))); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// readChart reads a chart directory, or a packaged chart when path is a
// regular file: the archive's files then appear under path as if it were
// a directory (chart-1.0.0.tgz/templates/x.yaml).
func readChart(p string, b *budget) ([]*loader.BufferedFile, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("open chart: %w", pathErr(err))
	}
	if info.IsDir() {
		return readDir(p, b)
	}
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("open chart: %w", pathErr(err))
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Errorf("open chart: not a directory or regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxChartBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read chart: %w", pathErr(err))
	}
	if len(data) > MaxChartBytes {
		return nil, fmt.Errorf("chart is larger than the limit of %d bytes", int64(MaxChartBytes))
	}
	files, err := unpackArchive(data, b)
	if err != nil {
		return nil, fmt.Errorf("unpack chart: %w", err)
	}
	return files, nil
}
