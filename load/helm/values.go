package helm

import (
	"errors"
	"fmt"
	"io"

	yamlv3 "go.yaml.in/yaml/v3"
	"helm.sh/helm/v3/pkg/strvals"
	"sigs.k8s.io/yaml"

	"github.com/immutcheck/immutcheck/internal/regfile"
	"github.com/immutcheck/immutcheck/load/internal/dupkeys"
)

// Bounds on user-supplied values. Helm's strvals already caps list indexes
// (strvals.MaxIndex) and name nesting (strvals.MaxNestedNameLevel).
const (
	maxValuesFileBytes = MaxFileBytes
	maxSetBytes        = 64 << 10
)

// userValues merges the values files in order, then the --set overrides,
// as helm's values.Options.MergeValues does, but reading only local files
// (never a URL or standard input) and within bounds.
func userValues(files, sets []string) (map[string]any, error) {
	base := map[string]any{}
	for _, name := range files {
		data, err := readValuesFile(name)
		if err != nil {
			return nil, &valuesError{File: name, Err: fmt.Errorf("read values file: %w", err)}
		}
		cur := map[string]any{}
		if err := yaml.Unmarshal(data, &cur); err != nil {
			return nil, &valuesError{File: name, Err: fmt.Errorf("parse values file: %w", err)}
		}
		if err := valuesKeys(data); err != nil {
			return nil, &valuesError{File: name, Err: fmt.Errorf("parse values file: %w", err)}
		}
		base = mergeMaps(base, cur)
	}
	for i, s := range sets {
		if len(s) > maxSetBytes {
			return nil, &valuesError{Err: fmt.Errorf("--set value %d is longer than %d bytes", i+1, maxSetBytes)}
		}
		if err := strvals.ParseInto(s, base); err != nil {
			return nil, &valuesError{Err: fmt.Errorf("parse --set value: %w", err)}
		}
	}
	return base, nil
}

// readValuesFile reads a file the user named, without blocking on a FIFO
// and within the size bound.
func readValuesFile(name string) ([]byte, error) {
	f, _, err := regfile.Open(name)
	var nr *regfile.NotRegularError
	switch {
	case errors.As(err, &nr):
		return nil, errors.New(nr.Reason())
	case err != nil:
		return nil, pathErr(err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxValuesFileBytes+1))
	if err != nil {
		return nil, pathErr(err)
	}
	if len(data) > maxValuesFileBytes {
		return nil, fmt.Errorf("file is larger than the limit of %d bytes", int64(maxValuesFileBytes))
	}
	return data, nil
}

// mergeMaps merges b over a, recursing into maps present in both. It is
// Helm's rule for successive values files (helm's own copy is unexported).
func mergeMaps(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if bm, ok := v.(map[string]any); ok {
			if am, ok := out[k].(map[string]any); ok {
				out[k] = mergeMaps(am, bm)
				continue
			}
		}
		out[k] = v
	}
	return out
}

// valuesError is a failure in user-supplied values; File is empty for
// --set.
type valuesError struct {
	File string
	Err  error
}

func (e *valuesError) Error() string { return e.Err.Error() }
func (e *valuesError) Unwrap() error { return e.Err }

// maxValuesNodes bounds the nodes visited looking for duplicate keys.
const maxValuesNodes = 1 << 20

// valuesKeys refuses values that name a key twice in one mapping: Helm
// keeps the last silently. Data that does not parse is left to Helm's
// own error.
func valuesKeys(data []byte) error {
	var n yamlv3.Node
	if yamlv3.Unmarshal(data, &n) != nil {
		return nil
	}
	return dupkeys.CheckYAML(&n, maxValuesNodes)
}
