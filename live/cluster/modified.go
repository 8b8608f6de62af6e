package cluster

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/immutcheck/immutcheck/model"
)

// podEdits compares pod p with the template d of the revision it claims
// and returns what differs. The API server applies defaults to templates
// and pods alike and admission plugins and webhooks add to pods at
// creation, so only what the API lets a client change on an existing pod
// is compared, each in a way that creation-time additions do not trip:
//
//   - the image of every container and init container the template
//     declares, by name. Containers the template does not have are not
//     edits: the API refuses to add containers to a pod, so they were
//     injected at creation (service mesh sidecars). A pod image that is the
//     template's tag plus a digest is the same image resolved at admission
//     (Kyverno's verifyImages mutateDigest does that) and is not an edit.
//     When another revision of the same owner declares the images the pod
//     runs, the edit names it (Matches): the pod claims one revision and
//     runs another's template;
//   - the revision label: a Deployment pod's pod-template-hash must be its
//     ReplicaSet's;
//   - activeDeadlineSeconds, which may be set or lowered on a live pod;
//   - tolerations, which may be added to a live pod: those in the pod and
//     not in the template, except the node.kubernetes.io/* tolerations the
//     DefaultTolerationSeconds admission plugin and the DaemonSet controller
//     add, and those the ExtendedResourceToleration admission plugin adds
//     for extended resources the pod requests.
func (x *index) podEdits(p *corev1.Pod, d *declared) []model.Edit {
	var out []model.Edit
	what := d.what()
	for _, role := range []string{roleContainer, roleInit} {
		for _, c := range podContainers(p, role) {
			tc := templateContainer(d.template, role, c.Name)
			if tc == nil || sameImage(tc.Image, c.Image) {
				continue
			}
			out = append(out, model.Edit{Role: role, Container: c.Name, Field: "image", Declared: tc.Image, Running: c.Image,
				DeclaredBy: what, Matches: x.revisionRunning(p, d)})
		}
	}
	if want, ok := d.owner.meta.Labels[labelPodTemplateHash]; ok && d.owner.kind == "ReplicaSet" {
		if got := p.Labels[labelPodTemplateHash]; got != want {
			out = append(out, model.Edit{Field: "label " + labelPodTemplateHash, Declared: want, Running: got, DeclaredBy: d.revision})
		}
	}
	if got, want := p.Spec.ActiveDeadlineSeconds, d.template.Spec.ActiveDeadlineSeconds; !equalInt64(got, want) {
		out = append(out, model.Edit{Field: "activeDeadlineSeconds", Declared: int64Text(want), Running: int64Text(got), DeclaredBy: what})
	}
	if added := addedTolerations(p, d.template); len(added) > 0 {
		out = append(out, model.Edit{Field: "tolerations", Running: strings.Join(added, ", "), DeclaredBy: what})
	}
	return out
}

// podContainers returns the containers of p with the given role.
func podContainers(p *corev1.Pod, role string) []corev1.Container {
	if role == roleInit {
		return p.Spec.InitContainers
	}
	return p.Spec.Containers
}

// sameImage reports whether a pod's image is the template's: equal, or the
// template's tag reference with a digest added at admission.
func sameImage(template, pod string) bool {
	if template == pod {
		return true
	}
	t, p := model.NewArtifact(template, model.Location{}), model.NewArtifact(pod, model.Location{})
	if t.Err != nil || p.Err != nil || t.Digest != "" || p.Digest == "" {
		return false
	}
	return t.Registry == p.Registry && t.Repository == p.Repository && tagOrLatest(t.Tag) == tagOrLatest(p.Tag)
}

func tagOrLatest(tag string) string {
	if tag == "" {
		return "latest"
	}
	return tag
}

func equalInt64(a, b *int64) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

func int64Text(v *int64) string {
	if v == nil {
		return "unset"
	}
	return fmt.Sprint(*v)
}
