package rules

import (
	"slices"
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// runningDigestMismatch judges every running container of every instance
// (a pod's containers, a Docker container) against the image its
// declaration names, with the same code whatever the runtime.
//
// A declaration pinned by digest is compared with the repository digests
// the runtime reports for what runs, and with its config digest when the
// runtime reports one; an instance whose runtime reports neither (a
// container not started yet, or a config-only imageID, which is not
// comparable with a manifest digest) has nothing to compare. A declaration
// by tag is compared with what the tag names now on the same host, when
// the source could tell: a difference means the tag moved after the
// container was created.
func runningDigestMismatch(p *Pass) {
	for _, in := range p.File.Instances {
		for i := range in.Containers {
			c := &in.Containers[i]
			if c.Declared.Ref == "" || c.Declared.Err != nil {
				continue
			}
			detail := c.Role + " " + c.Name
			if in.Kind == "Container" {
				detail = "" // a Docker container is the instance itself
			}
			switch {
			case c.Declared.Digest != "":
				if len(c.Digests) == 0 && c.Config == "" {
					continue
				}
				if slices.Contains(c.Digests, c.Declared.Digest) || c.Config == c.Declared.Digest {
					continue
				}
				p.Instancef(in, detail, model.Location{}, "%s %s runs %s, but %s pins %s", c.Role, c.Name, runningText(c), c.DeclaredBy, c.Declared.Ref)
			case c.TagNow != "" && c.Config != "" && c.TagNow != c.Config:
				p.Instancef(in, detail, model.Location{}, "%s %s runs image %s, but %s names %s, which is %s now on this host (the tag moved after the container was created)",
					c.Role, c.Name, c.Config, c.DeclaredBy, c.Declared.Ref, c.TagNow)
			}
		}
	}
}

// runningText describes the image a container runs: the digest and the
// runtime's imageID, or the config digest and repository digests.
func runningText(c *model.RunningContainer) string {
	if c.ImageID != "" {
		if id := model.ParseImageID(c.ImageID); id.Digest != "" && !id.Config {
			return id.Digest + " (imageID " + c.ImageID + ")"
		}
	}
	digests := "none"
	if len(c.Digests) > 0 {
		digests = strings.Join(c.Digests, ", ")
	}
	return "image " + c.Config + " (repository digests " + digests + ")"
}
