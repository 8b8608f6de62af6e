package helm

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"strings"
	"syscall"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/ignore"
)

// Chart bounds, the numbers Helm applies to chart archives
// (loader.MaxDecompressedChartSize and loader.MaxDecompressedFileSize),
// applied here to directories and unpacked subcharts as well.
const (
	MaxChartBytes = 100 << 20
	MaxFileBytes  = 5 << 20
	MaxChartFiles = 10000
)

// budget is what a chart may still take, shared by the directory and the
// subchart archives unpacked from it.
type budget struct {
	bytes int64
	files int
}

func newBudget() *budget { return &budget{bytes: MaxChartBytes, files: MaxChartFiles} }

// take charges one file of n bytes.
func (b *budget) take(n int64) error {
	b.files--
	if b.files < 0 {
		return fmt.Errorf("chart has more than %d files", MaxChartFiles)
	}
	b.bytes -= n
	if b.bytes < 0 {
		return fmt.Errorf("chart is larger than the limit of %d bytes", int64(MaxChartBytes))
	}
	return nil
}

// readDir reads the chart in dir into memory as Helm's directory loader
// does (honouring .helmignore), but through an os.Root so nothing outside
// dir is ever opened, without following links to directories, and with the
// size bounds above. Names are slash-separated and relative to dir.
func readDir(dir string, b *budget) ([]*loader.BufferedFile, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("open chart: %w", pathErr(err))
	}
	defer root.Close()

	rules, err := ignoreRules(root)
	if err != nil {
		return nil, err
	}
	var files []*loader.BufferedFile
	err = fs.WalkDir(root.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return &fileError{File: name, Err: pathErr(err)}
		}
		if name == "." {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return &fileError{File: name, Err: pathErr(err)}
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// Stat through the root follows the link only inside it.
			if info, err = root.Stat(name); err != nil {
				return &fileError{File: name, Err: fmt.Errorf("symbolic link not followed: %w", pathErr(err))}
			}
			if info.IsDir() {
				if rules.Ignore(name, info) {
					return nil
				}
				return &fileError{File: name, Err: errors.New("symbolic link to a directory not followed")}
			}
		}
		if info.IsDir() {
			if rules.Ignore(name, info) {
				return fs.SkipDir
			}
			return nil
		}
		if rules.Ignore(name, info) {
			return nil
		}
		data, err := readFile(root, name, info, b)
		if err != nil {
			return &fileError{File: name, Err: err}
		}
		files = append(files, &loader.BufferedFile{Name: name, Data: data})
		return nil
	})
	return files, err
}

// ignoreRules reads .helmignore and adds Helm's defaults.
func ignoreRules(root *os.Root) (*ignore.Rules, error) {
	rules := ignore.Empty()
	if info, err := root.Lstat(ignore.HelmIgnore); err == nil {
		data, err := readFile(root, ignore.HelmIgnore, info, &budget{bytes: MaxFileBytes, files: 1})
		if err != nil {
			return nil, &fileError{File: ignore.HelmIgnore, Err: err}
		}
		if rules, err = ignore.Parse(strings.NewReader(string(data))); err != nil {
			return nil, &fileError{File: ignore.HelmIgnore, Err: err}
		}
	}
	rules.AddDefaults()
	return rules, nil
}

// readFile reads one regular file through root, bounded by the per-file
// limit and the chart budget. It opens without blocking so that a FIFO
// cannot hang the read, and checks the type of what it opened.
func readFile(root *os.Root, name string, info fs.FileInfo, b *budget) ([]byte, error) {
	if !info.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if info.Size() > MaxFileBytes {
		return nil, fmt.Errorf("file is larger than the limit of %d bytes", int64(MaxFileBytes))
	}
	f, err := root.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, pathErr(err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, pathErr(err)
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("file is larger than the limit of %d bytes", int64(MaxFileBytes))
	}
	if err := b.take(int64(len(data))); err != nil {
		return nil, err
	}
	return data, nil
}

// pathErr drops the path from a *fs.PathError: callers name the file
// themselves, relative to the chart.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// fileError is a failure located in a file of the chart.
type fileError struct {
	// File is slash-separated and relative to the chart directory.
	File string
	Err  error
}

func (e *fileError) Error() string { return path.Clean(e.File) + ": " + e.Err.Error() }
func (e *fileError) Unwrap() error { return e.Err }
