package rules

import (
	"strings"
	"time"

	"github.com/immutcheck/immutcheck/model"
)

// instanceTooOld reports every instance that has run longer than the
// maximum age (Options.MaxAge; zero turns the rule off). A Job's pods run
// to completion and are not measured; an instance whose age the source
// could not tell is not either.
func instanceTooOld(p *Pass) {
	maxAge := p.Options.MaxAge
	if maxAge <= 0 {
		return
	}
	for _, in := range p.File.Instances {
		if in.Age <= maxAge || in.Owner != nil && in.Owner.Kind == "Job" {
			continue
		}
		since := ""
		if !in.Created.IsZero() {
			since = " since " + in.Created.UTC().Format(time.RFC3339)
		}
		p.Instancef(in, "", model.Location{}, "%s has run for %s%s, longer than the maximum age of %s",
			strings.ToLower(in.Kind), in.Age.Round(time.Second), since, maxAge)
	}
}
