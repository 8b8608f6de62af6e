package helm

import (
	"errors"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// maxSchemaMessages caps the violations listed in one problem.
const maxSchemaMessages = 10

// schemaMessage lists the violations of a validation error without the
// values that violate: the library's messages quote the value for pattern
// and format failures, and values may be secrets from a values file.
func schemaMessage(err error) string {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return "values do not match values.schema.json"
	}
	p := message.NewPrinter(language.English)
	var msgs []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(msgs) > maxSchemaMessages {
			return
		}
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		msgs = append(msgs, "at '/"+strings.Join(e.InstanceLocation, "/")+"': "+kindMessage(e.ErrorKind, p))
	}
	walk(ve)
	if len(msgs) > maxSchemaMessages {
		msgs = append(msgs[:maxSchemaMessages], "...")
	}
	return "values do not match values.schema.json: " + strings.Join(msgs, "; ")
}

// kindMessage is the library's message, except for the kinds that quote
// the value.
func kindMessage(k jsonschema.ErrorKind, p *message.Printer) string {
	switch k := k.(type) {
	case *kind.Pattern:
		return "does not match pattern " + k.Want
	case *kind.Format:
		return "is not valid " + k.Want
	case *kind.ContentEncoding:
		return "is not " + k.Want + " encoded"
	case *kind.ContentMediaType:
		return "is not of media type " + k.Want
	case *kind.ContentSchema:
		return "content does not match its schema"
	}
	return k.LocalizedString(p)
}
