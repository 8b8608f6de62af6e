package compose

import (
	"github.com/compose-spec/compose-go/v2/template"
)

// substitute interpolates one string as compose-go does, except that a
// variable that is unset and has no default is kept as written ("${NAME}"
// or "$NAME") instead of becoming empty.
func substitute(s string, mapping template.Mapping) (string, error) {
	return template.SubstituteWithOptions(s, mapping,
		template.WithoutLogging,
		template.WithReplacementFunction(keepUnset))
}

// keepUnset is compose-go's replacement with one change: when nothing
// applied (no value and no default), the variable is returned as written.
func keepUnset(substring string, mapping template.Mapping, cfg *template.Config) (string, error) {
	value, applied, err := template.DefaultReplacementAppliedFunc(substring, mapping, cfg)
	if err != nil {
		return "", err
	}
	if !applied {
		return substring, nil
	}
	return value, nil
}

// substituteEmpty interpolates as compose does: unset is empty. It only
// logs nothing.
func substituteEmpty(s string, mapping template.Mapping) (string, error) {
	return template.SubstituteWithOptions(s, mapping, template.WithoutLogging)
}
