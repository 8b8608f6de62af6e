package cluster

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/immutcheck/immutcheck/model"
)

// runningContainers reads the containers of p as its status reports them,
// each with the image its declaration names: the template of p's revision
// (d), or, when p has nothing else to compare with (d is nil: a naked
// pod, a pod of another controller or of a deleted owner), p's own spec.
//
// Digests holds the repository digest of a status imageID (containerd,
// CRI-O, "docker-pullable://"). A config digest (dockershim's
// "docker://sha256:…" for an image without a repository digest) is not a
// repository digest and stays in ImageID only; an empty imageID (a
// container that has not started, kwok) gives no digest. A container the
// declaration does not name has no Declared image.
func (x *index) runningContainers(p *corev1.Pod, d *declared) []model.RunningContainer {
	tmpl, from := &corev1.PodTemplateSpec{Spec: p.Spec}, "its own spec"
	if d != nil {
		tmpl, from = d.template, d.what()
	}
	out := make([]model.RunningContainer, 0, len(p.Status.ContainerStatuses)+len(p.Status.InitContainerStatuses))
	add := func(role string, statuses []corev1.ContainerStatus) {
		for _, st := range statuses {
			c := model.RunningContainer{Role: role, Name: st.Name, DeclaredBy: from, ImageID: st.ImageID}
			if id := model.ParseImageID(st.ImageID); id.Digest != "" && !id.Config {
				c.Digests = []string{id.Digest}
			}
			if tc := templateContainer(tmpl, role, st.Name); tc != nil {
				c.Declared = x.artifact(tc.Image)
			}
			out = append(out, c)
		}
	}
	add(roleContainer, p.Status.ContainerStatuses)
	add(roleInit, p.Status.InitContainerStatuses)
	return out
}

// artifact returns the parsed image reference; parsed once per image.
func (x *index) artifact(image string) model.Artifact {
	a, ok := x.artifacts[image]
	if !ok {
		a = model.NewArtifact(image, model.Location{})
		x.artifacts[image] = a
	}
	return a
}

// Container roles, as model.Container.Role spells them.
const (
	roleContainer = "container"
	roleInit      = "initContainer"
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
