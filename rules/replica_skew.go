package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// skewGroup is one container of one owner's revision, with the instances
// running each digest of it.
type skewGroup struct {
	first *model.Instance // the first instance seen, for its owner and revision
	c     *model.RunningContainer
	names map[string][]string // digest ("config " + digest for a config digest) -> instance names
}

// skewKey identifies a container of an owner's revision.
type skewKey struct {
	owner                model.ObjectRef
	revision, role, name string
}

// replicaDigestSkew groups the running containers of every instance by
// owner, revision, role and name, and reports the groups whose instances
// run more than one digest. Instances of one revision are copies of one
// template, so different digests mean a tag moved between pulls.
// Instances of different revisions (a rolling update in progress, an
// OnDelete DaemonSet with pods left on the old revision) are never
// compared with each other, and a Job's pods are not replicas.
//
// Repository digests and config digests (see model.ImageID) are different
// kinds of identifiers and are compared only with their own kind; an
// image ID that names no digest (a container not started) is left out.
func replicaDigestSkew(p *Pass) {
	groups := map[skewKey]*skewGroup{}
	var order []*skewGroup
	for _, in := range p.File.Instances {
		if in.Owner == nil || in.Revision == "" || in.Owner.Kind == "Job" {
			continue
		}
		for i := range in.Containers {
			c := &in.Containers[i]
			id := model.ParseImageID(c.ImageID)
			if id.Digest == "" {
				continue
			}
			key := skewKey{*in.Owner, in.Revision, c.Role, c.Name}
			g := groups[key]
			if g == nil {
				g = &skewGroup{first: in, c: c, names: map[string][]string{}}
				groups[key] = g
				order = append(order, g)
			}
			k := id.Digest
			if id.Config {
				k = "config " + id.Digest
			}
			g.names[k] = append(g.names[k], instanceName(in))
		}
	}
	for _, g := range order {
		var repo, config []string
		for k := range g.names {
			if strings.HasPrefix(k, "config ") {
				config = append(config, k)
			} else {
				repo = append(repo, k)
			}
		}
		for _, keys := range [][]string{repo, config} {
			if len(keys) > 1 {
				g.report(p, keys)
			}
		}
	}
}

// report describes the digests keys of g, located at the owner.
func (g *skewGroup) report(p *Pass, keys []string) {
	slices.SortFunc(keys, func(a, b string) int {
		if n := len(g.names[b]) - len(g.names[a]); n != 0 {
			return n
		}
		return strings.Compare(a, b)
	})
	word := strings.ToLower(g.first.Kind)
	total := 0
	parts := make([]string, len(keys))
	for i, k := range keys {
		names := g.names[k]
		slices.Sort(names)
		total += len(names)
		parts[i] = fmt.Sprintf("%s on %s (%s)", strings.TrimPrefix(k, "config "), plural(len(names), word), nameList(names))
	}
	what := "digests"
	if strings.HasPrefix(keys[0], "config ") {
		what = "image IDs"
	}
	owner, rev := g.first.Owner, g.first.Revision
	subject := owner.Subject()
	// A revision that is not the owner itself (a ControllerRevision of a
	// StatefulSet or DaemonSet, unlike a ReplicaSet) is named.
	if rev != owner.Kind+" "+owner.Name {
		subject += " revision " + rev[strings.LastIndexByte(rev, ' ')+1:]
	}
	subject += " " + g.c.Role + " " + g.c.Name
	p.Reportf(subject, nil, owner.Location(), "%d %ss of %s run %d different %s of %s %s (template image %s): %s",
		total, word, rev, len(keys), what, g.c.Role, g.c.Name, g.c.Declared.Ref, strings.Join(parts, "; "))
	p.findings[len(p.findings)-1].Object = owner
}
