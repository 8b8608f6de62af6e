package helm

import (
	"context"
	"fmt"
	"unicode/utf8"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
)

// maxErrorBytes caps the text of a template error kept in a problem: a
// chart's fail or required message can interpolate values, which may hold
// secrets read from values files.
const maxErrorBytes = 300

// renderTemplates runs Helm's engine without a cluster client (lookup
// returns nothing) and without DNS. The engine does not take a context; if
// ctx ends first the render is abandoned and keeps running until it
// returns, so callers should bound ctx.
func renderTemplates(ctx context.Context, c *chart.Chart, vals chartutil.Values) (map[string]string, error) {
	type result struct {
		out map[string]string
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{err: fmt.Errorf("render chart: panic: %v", r)}
			}
		}()
		out, err := engine.Engine{}.Render(c, vals)
		done <- result{out, err}
	}()
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("render chart: %w", ctx.Err())
	case r := <-done:
		if r.err != nil {
			return nil, templateError(r.err)
		}
		return r.out, nil
	}
}

// templateError shortens Helm's error and wraps it in a renderError, which
// Load locates from the template position the text names.
func templateError(err error) error {
	msg := err.Error()
	if len(msg) > maxErrorBytes {
		cut := maxErrorBytes
		for cut > 0 && !utf8.RuneStart(msg[cut]) {
			cut--
		}
		msg = msg[:cut] + "..."
	}
	return &renderError{msg: msg}
}

// renderError is a template parse or execution error. It keeps only the
// shortened text: the full Helm error may quote values.
type renderError struct{ msg string }

func (e *renderError) Error() string { return "render chart: " + e.msg }
