package kube

import (
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

// kind is a workload kind: the type it is decoded into (group and version)
// and how its pod template is found.
type kind struct {
	group, version string
	load           func(o *obj, j []byte)
}

var (
	podKind        = &kind{"", "v1", loadPod}
	rcKind         = &kind{"", "v1", loadReplicationController}
	deploymentKind = &kind{"apps", "v1", loadDeployment}
	replicaSetKind = &kind{"apps", "v1", loadReplicaSet}
	statefulKind   = &kind{"apps", "v1", loadStatefulSet}
	daemonSetKind  = &kind{"apps", "v1", loadDaemonSet}
	jobKind        = &kind{"batch", "v1", loadJob}
	cronJobKind    = &kind{"batch", "v1", loadCronJob}
	rolloutKind    = &kind{"argoproj.io", "v1alpha1", loadRollout}
	dcKind         = &kind{"apps.openshift.io", "v1", loadDeploymentConfig}
)

// lookupKind returns the workload kind of an object, or nil when the object
// declares no workload.
//
// Older API versions of a kind (extensions/v1beta1 and apps/v1beta1/2
// Deployment, DaemonSet and ReplicaSet; batch/v1beta1 CronJob) are decoded
// with the current type: the fields of the pod template and the update
// settings we read are the same in every version. Unknown fields are only
// reported for the exact version of the type (obj.strict), since older
// versions had fields of their own (such as spec.rollbackTo) that are not
// errors there. A kind of the same name in another group (a CRD) is not a
// workload.
func lookupKind(group, name string) *kind {
	if k := gitopsKind(group, name); k != nil {
		return k
	}
	switch group {
	case "":
		switch name {
		case "Pod":
			return podKind
		case "ReplicationController":
			return rcKind
		case "DeploymentConfig": // OpenShift 3 served it in the legacy group
			return dcKind
		}
	case "apps", "extensions":
		switch name {
		case "Deployment":
			return deploymentKind
		case "ReplicaSet":
			return replicaSetKind
		case "DaemonSet":
			return daemonSetKind
		case "StatefulSet":
			if group == "apps" {
				return statefulKind
			}
		}
	case "batch":
		switch name {
		case "Job":
			return jobKind
		case "CronJob":
			return cronJobKind
		}
	case "argoproj.io":
		if name == "Rollout" {
			return rolloutKind
		}
	case "apps.openshift.io":
		if name == "DeploymentConfig" {
			return dcKind
		}
	}
	return nil
}

func loadPod(o *obj, j []byte) {
	var p corev1.Pod
	if o.decode(j, &p, "", o.strict) {
		o.workload(podTemplate(&p, o.locate()))
	}
}

func loadReplicationController(o *obj, j []byte) {
	var rc corev1.ReplicationController
	if o.decode(j, &rc, "", o.strict) {
		root := o.locate()
		o.workload(newTemplate(&rc.ObjectMeta, root, rc.Spec.Template, root.get("spec").get("template")))
	}
}

func loadDeployment(o *obj, j []byte) {
	var d appsv1.Deployment
	if o.decode(j, &d, "", o.strict) {
		o.workload(deploymentTemplate(&d, o.locate()))
	}
}

func loadReplicaSet(o *obj, j []byte) {
	var rs appsv1.ReplicaSet
	if o.decode(j, &rs, "", o.strict) {
		o.workload(replicaSetTemplate(&rs, o.locate()))
	}
}

func loadStatefulSet(o *obj, j []byte) {
	var s appsv1.StatefulSet
	if o.decode(j, &s, "", o.strict) {
		o.workload(statefulSetTemplate(&s, o.locate()))
	}
}

func loadDaemonSet(o *obj, j []byte) {
	var ds appsv1.DaemonSet
	if o.decode(j, &ds, "", o.strict) {
		o.workload(daemonSetTemplate(&ds, o.locate()))
	}
}

func loadJob(o *obj, j []byte) {
	var job batchv1.Job
	if o.decode(j, &job, "", o.strict) {
		o.workload(jobTemplate(&job, o.locate()))
	}
}

func loadCronJob(o *obj, j []byte) {
	var cj batchv1.CronJob
	if o.decode(j, &cj, "", o.strict) {
		o.workload(cronJobTemplate(&cj, o.locate()))
	}
}

// The functions below describe a decoded object of each kind written at
// root. Files and the live cluster (FromObject) share them.

func podTemplate(p *corev1.Pod, root pos) *template {
	t := &template{meta: &p.ObjectMeta, metaPos: root.get("metadata"), pod: &p.Spec, podPos: root.get("spec")}
	t.controlled = controlledPod(&p.ObjectMeta)
	t.runsToCompletion = p.Spec.RestartPolicy == corev1.RestartPolicyNever || p.Spec.RestartPolicy == corev1.RestartPolicyOnFailure
	return t
}

func deploymentTemplate(d *appsv1.Deployment, root pos) *template {
	spec := root.get("spec")
	t := newTemplate(&d.ObjectMeta, root, &d.Spec.Template, spec.get("template"))
	t.strategy(string(d.Spec.Strategy.Type), spec.get("strategy").get("type"))
	t.history(d.Spec.RevisionHistoryLimit, spec.get("revisionHistoryLimit"))
	return t
}

func replicaSetTemplate(rs *appsv1.ReplicaSet, root pos) *template {
	return newTemplate(&rs.ObjectMeta, root, &rs.Spec.Template, root.get("spec").get("template"))
}

func statefulSetTemplate(s *appsv1.StatefulSet, root pos) *template {
	spec := root.get("spec")
	t := newTemplate(&s.ObjectMeta, root, &s.Spec.Template, spec.get("template"))
	t.strategy(string(s.Spec.UpdateStrategy.Type), spec.get("updateStrategy").get("type"))
	t.history(s.Spec.RevisionHistoryLimit, spec.get("revisionHistoryLimit"))
	return t
}

func daemonSetTemplate(ds *appsv1.DaemonSet, root pos) *template {
	spec := root.get("spec")
	t := newTemplate(&ds.ObjectMeta, root, &ds.Spec.Template, spec.get("template"))
	t.strategy(string(ds.Spec.UpdateStrategy.Type), spec.get("updateStrategy").get("type"))
	t.history(ds.Spec.RevisionHistoryLimit, spec.get("revisionHistoryLimit"))
	return t
}

func jobTemplate(job *batchv1.Job, root pos) *template {
	t := newTemplate(&job.ObjectMeta, root, &job.Spec.Template, root.get("spec").get("template"))
	t.runsToCompletion = true
	return t
}

func cronJobTemplate(cj *batchv1.CronJob, root pos) *template {
	tpl := root.get("spec").get("jobTemplate").get("spec").get("template")
	t := newTemplate(&cj.ObjectMeta, root, &cj.Spec.JobTemplate.Spec.Template, tpl)
	t.runsToCompletion = true
	return t
}
