package kube

import (
	"github.com/immutcheck/immutcheck/model"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// IgnoreAnnotation is the annotation that suppresses rules for an object,
// on its metadata or on its pod template's metadata.
const IgnoreAnnotation = "immutcheck.dev/ignore"

// template is a decoded workload reduced to what the model needs, with the
// position of each part.
type template struct {
	meta    *metav1.ObjectMeta
	metaPos pos
	// podMeta is the pod template's metadata; nil for a Pod.
	podMeta    *metav1.ObjectMeta
	podMetaPos pos
	// pod is nil when the object has no template (an incomplete
	// ReplicationController or DeploymentConfig).
	pod    *corev1.PodSpec
	podPos pos

	controlled       bool
	runsToCompletion bool
	update           model.Setting
	revisionHistory  *model.IntSetting
}

// newTemplate describes an object whose pods come from a template (every
// workload kind but Pod); tpl may be nil.
func newTemplate(meta *metav1.ObjectMeta, root pos, tpl *corev1.PodTemplateSpec, tplPos pos) *template {
	t := &template{meta: meta, metaPos: root.get("metadata"), controlled: true}
	if tpl != nil {
		t.podMeta, t.podMetaPos = &tpl.ObjectMeta, tplPos.get("metadata")
		t.pod, t.podPos = &tpl.Spec, tplPos.get("spec")
	}
	return t
}

func (t *template) strategy(value string, p pos) {
	if value != "" {
		t.update = model.Setting{Value: value, Location: p.loc()}
	}
}

func (t *template) history(v *int32, p pos) {
	if v != nil {
		t.revisionHistory = &model.IntSetting{Value: int64(*v), Location: p.loc()}
	}
}

// controlledPod reports whether a Pod has an owner that is its controller.
func controlledPod(meta *metav1.ObjectMeta) bool {
	for _, ref := range meta.OwnerReferences {
		if ref.Controller != nil && *ref.Controller {
			return true
		}
	}
	return false
}

// workload appends the model of t to the file.
func (o *obj) workload(t *template) {
	root := o.locate()
	o.d.f.Workloads = append(o.d.f.Workloads, t.model(o.head.Kind, root))
}

// model is the workload t describes, an object of the given kind written
// at root.
func (t *template) model(kind string, root pos) *model.Workload {
	name := t.meta.Name
	if name == "" {
		name = t.meta.GenerateName
	}
	w := &model.Workload{
		Source:               "kubernetes",
		Kind:                 kind,
		Namespace:            t.meta.Namespace,
		Name:                 name,
		Location:             root.loc(),
		Controlled:           t.controlled,
		RunsToCompletion:     t.runsToCompletion,
		UpdateStrategy:       t.update,
		RevisionHistoryLimit: t.revisionHistory,
	}
	w.Ignores = append(w.Ignores, ignores(t.meta, t.metaPos)...)
	if t.podMeta != nil {
		w.Ignores = append(w.Ignores, ignores(t.podMeta, t.podMetaPos)...)
	}
	if t.pod != nil {
		podSpec(w, t.pod, t.podPos)
	}
	return w
}

// ignores reads the suppression annotation of meta.
func ignores(meta *metav1.ObjectMeta, p pos) []model.Ignore {
	v, ok := meta.Annotations[IgnoreAnnotation]
	if !ok {
		return nil
	}
	loc := p.get("annotations").get(IgnoreAnnotation).loc()
	igs := ParseIgnore(v)
	for i := range igs {
		igs[i].Location = loc
	}
	return igs
}

// podSpec maps the pod-level settings and the containers of spec.
func podSpec(w *model.Workload, spec *corev1.PodSpec, p pos) {
	for _, ns := range []struct {
		on    bool
		field string
		name  string
	}{
		{spec.HostPID, "hostPID", "PID"},
		{spec.HostNetwork, "hostNetwork", "network"},
		{spec.HostIPC, "hostIPC", "IPC"},
	} {
		if ns.on {
			w.HostNamespaces = append(w.HostNamespaces, model.Setting{Value: ns.name, Location: p.get(ns.field).loc()})
		}
	}
	vols := p.get("volumes")
	for i := range spec.Volumes {
		v := &spec.Volumes[i]
		if v.HostPath != nil {
			w.HostPaths = append(w.HostPaths, model.HostPath{Name: v.Name, Path: v.HostPath.Path, Location: vols.at(i).loc()})
		}
	}
	inits := p.get("initContainers")
	for i := range spec.InitContainers {
		c := &spec.InitContainers[i]
		role := "initContainer"
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			role = "container" // a sidecar runs as long as the pod
		}
		w.Containers = append(w.Containers, container(c, role, inits.at(i)))
	}
	cs := p.get("containers")
	for i := range spec.Containers {
		w.Containers = append(w.Containers, container(&spec.Containers[i], "container", cs.at(i)))
	}
	eph := p.get("ephemeralContainers")
	for i := range spec.EphemeralContainers {
		c := corev1.Container(spec.EphemeralContainers[i].EphemeralContainerCommon)
		w.Containers = append(w.Containers, container(&c, "ephemeralContainer", eph.at(i)))
	}
}
