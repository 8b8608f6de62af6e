package kube

import (
	"encoding/json"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// rollout is the part of an Argo Rollouts Rollout (argoproj.io/v1alpha1)
// that we read. Argo's Go types pull in the whole Argo module, so this
// declares only the fields we need; the pod template is decoded strictly as
// a core/v1 PodTemplateSpec, which is what Argo embeds.
type rollout struct {
	Metadata metav1.ObjectMeta `json:"metadata"`
	Spec     struct {
		RevisionHistoryLimit *int32 `json:"revisionHistoryLimit"`
		// Template is absent when the Rollout points at a Deployment
		// (spec.workloadRef); that Deployment is checked on its own.
		Template json.RawMessage `json:"template"`
	} `json:"spec"`
}

// deploymentConfig is the part of an OpenShift DeploymentConfig
// (apps.openshift.io/v1) that we read; its pod template is a core/v1
// PodTemplateSpec.
type deploymentConfig struct {
	Metadata metav1.ObjectMeta `json:"metadata"`
	Spec     struct {
		Strategy struct {
			Type string `json:"type"`
		} `json:"strategy"`
		RevisionHistoryLimit *int32          `json:"revisionHistoryLimit"`
		Template             json.RawMessage `json:"template"`
	} `json:"spec"`
}

// loadRollout reads a Rollout. The object around the template is decoded
// leniently (our struct knows only some of its fields); the template is
// decoded strictly, with unknown fields reported under spec.template.
func loadRollout(o *obj, j []byte) {
	var r rollout
	if !o.decode(j, &r, "", false) {
		return
	}
	if isNull(r.Spec.Template) {
		// spec.workloadRef: the Deployment's template is checked on its
		// own; the Rollout still decides whether a failure rolls back.
		rolloutRef(o, &r.Metadata, j)
		return
	}
	var tpl corev1.PodTemplateSpec
	if !o.decode(r.Spec.Template, &tpl, "spec.template.", o.strict) {
		return
	}
	root := o.locate()
	spec := root.get("spec")
	t := newTemplate(&r.Metadata, root, &tpl, spec.get("template"))
	t.history(r.Spec.RevisionHistoryLimit, spec.get("revisionHistoryLimit"))
	o.workload(t)
	rolloutRollback(o, j)
}

// loadDeploymentConfig reads an OpenShift DeploymentConfig like a Rollout.
func loadDeploymentConfig(o *obj, j []byte) {
	var dc deploymentConfig
	if !o.decode(j, &dc, "", false) {
		return
	}
	var tpl *corev1.PodTemplateSpec
	if !isNull(dc.Spec.Template) {
		tpl = &corev1.PodTemplateSpec{}
		if !o.decode(dc.Spec.Template, tpl, "spec.template.", o.strict) {
			return
		}
	}
	root := o.locate()
	spec := root.get("spec")
	t := newTemplate(&dc.Metadata, root, tpl, spec.get("template"))
	t.strategy(dc.Spec.Strategy.Type, spec.get("strategy").get("type"))
	t.history(dc.Spec.RevisionHistoryLimit, spec.get("revisionHistoryLimit"))
	o.workload(t)
}

func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}
