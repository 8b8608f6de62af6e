package cluster

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// runningDigestMismatch reports containers of p whose status imageID names
// another digest than the one the declaration pins: the owner's template
// of p's revision, or, when p has no template to compare with (a naked
// pod, a pod of another controller or of a deleted owner), p's own spec.
//
// Only repository digests are compared. A template that does not pin a
// digest has nothing to compare with (image-not-pinned reports it). A
// status imageID that is a config digest (dockershim's "docker://sha256:…"
// for an image without a repository digest) is not comparable with a
// manifest digest and is never reported; containerd and CRI-O always
// report repository digests. An empty imageID (a container that has not
// started, kwok) is skipped.
func runningDigestMismatch(x *index, p *corev1.Pod, d *declared) []rules.Finding {
	tmpl, from := &corev1.PodTemplateSpec{Spec: p.Spec}, "its own spec"
	if d != nil {
		tmpl, from = d.template, d.what()
	}
	var out []rules.Finding
	check := func(role string, statuses []corev1.ContainerStatus) {
		for _, st := range statuses {
			id := parseImageID(st.ImageID)
			if id.digest == "" || id.config {
				continue
			}
			tc := templateContainer(tmpl, role, st.Name)
			if tc == nil {
				continue
			}
			pin := x.pin(tc.Image)
			if pin == "" || pin == id.digest {
				continue
			}
			out = append(out, finding(rules.RunningDigestMismatch, podRef(p), role+" "+st.Name,
				"%s %s runs %s (imageID %s), but %s pins %s", role, st.Name, id.digest, st.ImageID, from, tc.Image))
		}
	}
	check(roleContainer, p.Status.ContainerStatuses)
	check(roleInit, p.Status.InitContainerStatuses)
	return out
}

// pin returns the digest image pins, "" when none; parsed once per image.
func (x *index) pin(image string) string {
	d, ok := x.pins[image]
	if !ok {
		d = model.NewArtifact(image, model.Location{}).Digest
		x.pins[image] = d
	}
	return d
}

// Container roles, as model.Container.Role spells them.
const (
	roleContainer = "container"
	roleInit      = "initContainer"
	roleEphemeral = "ephemeralContainer"
)

// templateContainer returns the container of t with the given role and
// name, nil when there is none.
func templateContainer(t *corev1.PodTemplateSpec, role, name string) *corev1.Container {
	cs := t.Spec.Containers
	if role == roleInit {
		cs = t.Spec.InitContainers
	}
	for i := range cs {
		if cs[i].Name == name {
			return &cs[i]
		}
	}
	return nil
}
