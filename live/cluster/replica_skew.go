package cluster

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/immutcheck/immutcheck/rules"
)

// maxNamesListed bounds the names a message lists per value.
const maxNamesListed = 5

// skewGroup is one container of one workload revision, with the pods
// running each digest of it.
type skewGroup struct {
	d     *declared
	role  string
	name  string
	pods  map[string][]string // digest -> pod names
	order int                 // first appearance, for a stable output
}

// replicaSkew collects, for each revision of a ReplicaSet, StatefulSet or
// DaemonSet and each container, the digests its pods run, and reports the
// groups that run more than one. Pods of one revision share one template,
// so different digests mean a tag moved between pulls. Pods of different
// revisions (a rolling update in progress, an OnDelete DaemonSet with pods
// left on the old revision) are never compared with each other.
//
// Repository digests and config digests (see imageID) are different kinds
// of identifiers and are compared only with their own kind.
type replicaSkew struct {
	groups map[string]*skewGroup
}

// add records the digests p runs; d is p's declaration.
func (r *replicaSkew) add(p *corev1.Pod, d *declared) {
	if d == nil || d.owner.kind == "Job" {
		return
	}
	add := func(role string, statuses []corev1.ContainerStatus) {
		for _, st := range statuses {
			id := parseImageID(st.ImageID)
			if id.digest == "" {
				continue
			}
			key := string(d.owner.meta.UID) + "\x00" + d.revisionKey + "\x00" + role + "\x00" + st.Name
			g := r.groups[key]
			if g == nil {
				if r.groups == nil {
					r.groups = map[string]*skewGroup{}
				}
				g = &skewGroup{d: d, role: role, name: st.Name, pods: map[string][]string{}, order: len(r.groups)}
				r.groups[key] = g
			}
			k := id.digest
			if id.config {
				k = "config " + id.digest
			}
			g.pods[k] = append(g.pods[k], p.Name)
		}
	}
	add(roleContainer, p.Status.ContainerStatuses)
	add(roleInit, p.Status.InitContainerStatuses)
}

// findings reports the groups whose pods run more than one digest of a
// kind.
func (r *replicaSkew) findings() []rules.Finding {
	gs := make([]*skewGroup, 0, len(r.groups))
	for _, g := range r.groups {
		gs = append(gs, g)
	}
	slices.SortFunc(gs, func(a, b *skewGroup) int { return a.order - b.order })
	var out []rules.Finding
	for _, g := range gs {
		var repo, config []string
		for k := range g.pods {
			if strings.HasPrefix(k, "config ") {
				config = append(config, k)
			} else {
				repo = append(repo, k)
			}
		}
		for _, keys := range [][]string{repo, config} {
			if len(keys) > 1 {
				out = append(out, g.finding(keys))
			}
		}
	}
	return out
}

// finding describes the digests keys of g.
func (g *skewGroup) finding(keys []string) rules.Finding {
	slices.SortFunc(keys, func(a, b string) int {
		if n := len(g.pods[b]) - len(g.pods[a]); n != 0 {
			return n
		}
		return strings.Compare(a, b)
	})
	total := 0
	parts := make([]string, len(keys))
	for i, k := range keys {
		names := g.pods[k]
		slices.Sort(names)
		total += len(names)
		parts[i] = fmt.Sprintf("%s on %s (%s)", strings.TrimPrefix(k, "config "), plural(len(names), "pod"), nameList(names))
	}
	what := "digests"
	if strings.HasPrefix(keys[0], "config ") {
		what = "image IDs"
	}
	detail := g.role + " " + g.name
	msg := "%d pods of %s run %d different %s of %s %s (template image %s): %s"
	image := ""
	if tc := templateContainer(g.d.template, g.role, g.name); tc != nil {
		image = tc.Image
	}
	if g.d.owner.kind != "ReplicaSet" {
		detail = "revision " + strings.TrimPrefix(g.d.revision, "ControllerRevision ") + " " + detail
	}
	return finding(rules.ReplicaDigestSkew, g.d.owner, detail, msg,
		total, g.d.revision, len(keys), what, g.role, g.name, image, strings.Join(parts, "; "))
}

// plural is "1 pod", "3 pods".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// nameList joins names, listing at most maxNamesListed of them.
func nameList(names []string) string {
	if len(names) <= maxNamesListed {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:maxNamesListed], ", ") + fmt.Sprintf(" and %d more", len(names)-maxNamesListed)
}
