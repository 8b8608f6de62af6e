package helm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"
)

// Bounds on values.schema.json, checked before it is compiled: real schemas
// nest a few dozen levels and hold a few hundred references, while long
// reference chains make compiling slow (CVE-2025-32387).
const (
	maxSchemaDepth = 256
	maxSchemaRefs  = 2000
)

// errRefused is returned for every $ref outside values.schema.json.
var errRefused = errors.New("external schema reference not fetched (offline)")

// refuse is a jsonschema loader that loads nothing: Helm's own validation
// (chartutil.ValidateAgainstSchema) resolves file, http and https
// references, so a chart could make it read /dev/zero or call a URL.
type refuse struct{}

func (refuse) Load(string) (any, error) { return nil, errRefused }

// validateValues checks vals against the chart's schema and those of its
// subcharts, as chartutil.ValidateAgainstSchema does, with external
// references refused. The returned error names the chart whose schema
// failed; prefix is the chart's directory relative to the top chart.
func validateValues(c *chart.Chart, vals map[string]any, prefix string, dirs func(parent, name string) string) error {
	var errs []error
	if c.Schema != nil {
		if err := validateSchema(c.Schema, vals); err != nil {
			errs = append(errs, &fileError{File: prefix + "values.schema.json", Err: err})
		}
	}
	for _, sub := range c.Dependencies() {
		raw, ok := vals[sub.Name()]
		if !ok || raw == nil {
			continue
		}
		subVals, ok := raw.(map[string]any)
		if !ok {
			errs = append(errs, &fileError{File: prefix + "values.yaml", Err: fmt.Errorf("values for subchart %s are not a map", sub.Name())})
			continue
		}
		if err := validateValues(sub, subVals, dirs(prefix, sub.Name()), dirs); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func validateSchema(schemaJSON []byte, vals map[string]any) (err error) {
	defer func() {
		// A backstop, as in Helm: the library panics on some schemas.
		if r := recover(); r != nil {
			err = fmt.Errorf("validate values schema: %v", r)
		}
	}()
	if err := checkDepth(schemaJSON); err != nil {
		return fmt.Errorf("parse values schema: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return fmt.Errorf("parse values schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(refuse{})
	const url = "file:///values.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		return fmt.Errorf("compile values schema: %w", err)
	}
	s, err := c.Compile(url)
	if err != nil {
		return fmt.Errorf("compile values schema: %w", err)
	}
	if err := s.Validate(chartutil.Values(vals).AsMap()); err != nil {
		return errors.New(schemaMessage(err))
	}
	return nil
}

// checkDepth rejects JSON nested deeper than maxSchemaDepth or holding more
// than maxSchemaRefs "$ref" strings.
func checkDepth(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	depth, refs := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
			if depth > maxSchemaDepth {
				return fmt.Errorf("nested deeper than %d levels", maxSchemaDepth)
			}
		case json.Delim('}'), json.Delim(']'):
			depth--
		case "$ref":
			if refs++; refs > maxSchemaRefs {
				return fmt.Errorf("more than %d references", maxSchemaRefs)
			}
		}
	}
}
