package rules

import (
	"fmt"
	"strings"
)

// checkRollbackImage reports deployed images with fewer previous releases
// than the policy asks for, and previous releases that are gone or no
// longer pass the signature policy.
func checkRollbackImage(p *Pass) {
	want := p.Options.Registry.PreviousRevisions
	for _, c := range p.File.Images {
		if c.Artifact.Err != nil {
			continue
		}
		if !c.Previous {
			rel := c.Releases
			switch {
			case rel == nil:
			case rel.NotVersion:
				p.Imagef(c, "tag %s is not a version, so the previous releases cannot be found", c.Artifact.Tag)
			case len(rel.Tags) < want:
				p.Imagef(c, "%d previous release(s) required, the registry has %d below %s: %s", want, len(rel.Tags), c.Artifact.Tag, strings.Join(rel.Tags, ", "))
			}
			continue
		}
		var msg string
		if c.Gone {
			msg = fmt.Sprintf("previous release %s is gone from the registry", c.Artifact.Ref)
		} else if k, why := signatureFailure(c); k != signed {
			msg = fmt.Sprintf("previous release %s (%s) no longer passes the signature policy: %s", c.Artifact.Ref, c.Digest, why)
		} else {
			continue
		}
		if c.Revision != "" {
			msg = c.Revision + ": " + msg + "; rolling back to this revision would need it"
		}
		p.Imagef(c, "%s", msg)
	}
}
