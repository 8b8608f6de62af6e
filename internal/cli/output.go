package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/immutcheck/immutcheck/internal/regfile"
	"github.com/immutcheck/immutcheck/report"
	"github.com/immutcheck/immutcheck/rules"
)

// outputOptions are the flags every checking command shares.
type outputOptions struct {
	Format string
	Output string
	FailOn string
	Color  string
}

func (o *outputOptions) addFlags(f *pflag.FlagSet) {
	f.StringVar(&o.Format, "format", "text", "output format: text, json, sarif, junit or policyreport (Kubernetes PolicyReport YAML for kubectl apply)")
	f.StringVarP(&o.Output, "output", "o", "", "write the report to this file instead of standard output")
	f.StringVar(&o.FailOn, "fail-on", "", "exit 1 on findings at or above this severity: critical, high, medium, low, info or none (default high)")
	f.StringVar(&o.Color, "color", "auto", "colour text output: auto, always or never (NO_COLOR is honoured)")
}

// validate checks the flags before any work is done.
func (o *outputOptions) validate() error {
	if _, err := report.ParseFormat(o.Format); err != nil {
		return &usageError{err}
	}
	switch o.Color {
	case "auto", "always", "never", "":
	default:
		return usagef("--color: %q is not auto, always or never", o.Color)
	}
	if o.FailOn != "" {
		if _, err := rules.ParseSeverity(o.FailOn); err != nil {
			return usagef("--fail-on: %v", err)
		}
	}
	return nil
}

// write renders r in the chosen format to stdout or to the output file,
// which is replaced atomically.
func (o *outputOptions) write(r *report.Report, stdout io.Writer) error {
	format, err := report.ParseFormat(o.Format)
	if err != nil {
		return &usageError{err}
	}
	color := false
	switch o.Color {
	case "always":
		color = true
	case "never":
	case "auto", "":
		color = o.Output == "" && isTerminal(stdout) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	default:
		return usagef("--color: %q is not auto, always or never", o.Color)
	}
	if r.Time.IsZero() {
		// Renderers never change the report; stamp a copy with the time
		// of the check (PolicyReport results carry it).
		stamped := *r
		stamped.Time = time.Now()
		r = &stamped
	}
	if o.Output == "" {
		return report.Write(stdout, format, r, report.Options{Color: color})
	}
	return writeFileAtomic(o.Output, func(w io.Writer) error {
		return report.Write(w, format, r, report.Options{Color: color})
	})
}

// writeFileAtomic writes a temporary file next to path and renames it over
// path, so a reader never sees a partial report. A path that is there but
// is not a regular file (a FIFO, /dev/null, a directory) is refused: the
// rename would replace it.
func writeFileAtomic(path string, fill func(io.Writer) error) (err error) {
	if err := regfile.Check(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return usagef("--output: %v", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := fill(tmp); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write report: %w", errors.Unwrap(err))
	}
	return nil
}

func isTerminalFd(fd uintptr) bool { return term.IsTerminal(int(fd)) }
