package cluster

import (
	"encoding/json"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// Hand-built objects for the unit tests, shaped as the API server returns
// them.

const testNS = "shop"

var (
	digestA = "sha256:" + strings.Repeat("a", 64)
	digestB = "sha256:" + strings.Repeat("b", 64)
	digestC = "sha256:" + strings.Repeat("c", 64)
	// testNow is when the unit tests' snapshots were taken.
	testNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
)

func objMeta(name, uid string, owner *metav1.OwnerReference) metav1.ObjectMeta {
	m := metav1.ObjectMeta{Name: name, Namespace: testNS, UID: types.UID(uid),
		CreationTimestamp: metav1.NewTime(testNow.Add(-time.Minute))}
	if owner != nil {
		m.OwnerReferences = []metav1.OwnerReference{*owner}
	}
	return m
}

func ownedBy(kind, name, uid string) *metav1.OwnerReference {
	api := "apps/v1"
	if kind == "Job" {
		api = "batch/v1"
	}
	t := true
	return &metav1.OwnerReference{APIVersion: api, Kind: kind, Name: name, UID: types.UID(uid), Controller: &t}
}

func template(images ...string) corev1.PodTemplateSpec {
	t := corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "x"}}}
	for i, img := range images {
		name := "web"
		if i > 0 {
			name = "side"
		}
		t.Spec.Containers = append(t.Spec.Containers, corev1.Container{Name: name, Image: img})
	}
	return t
}

// replicaSet is revision rev of Deployment "web", with pod-template-hash
// hash.
func replicaSet(name, hash string, rev string, t corev1.PodTemplateSpec) appsv1.ReplicaSet {
	rs := appsv1.ReplicaSet{ObjectMeta: objMeta(name, "uid-"+name, ownedBy("Deployment", "web", "uid-web"))}
	rs.Labels = map[string]string{"app": "x", labelPodTemplateHash: hash}
	rs.Annotations = map[string]string{annotationDeploymentRevision: rev}
	rs.Spec.Template = t
	rs.Spec.Template.Labels = rs.Labels
	return rs
}

// revision is a ControllerRevision of a StatefulSet or DaemonSet, with
// data as their controllers write it.
func revision(owner, ownerUID, kind, hash string, number int64, t corev1.PodTemplateSpec) appsv1.ControllerRevision {
	name := owner + "-" + hash
	cr := appsv1.ControllerRevision{ObjectMeta: objMeta(name, "uid-"+name, ownedBy(kind, owner, ownerUID)), Revision: number}
	cr.Labels = map[string]string{labelRevisionHash: hash}
	tm, err := json.Marshal(t)
	if err != nil {
		panic(err)
	}
	var tmap map[string]any
	if err := json.Unmarshal(tm, &tmap); err != nil {
		panic(err)
	}
	tmap["$patch"] = "replace"
	raw, err := json.Marshal(map[string]any{"spec": map[string]any{"template": tmap}})
	if err != nil {
		panic(err)
	}
	cr.Data = runtime.RawExtension{Raw: raw}
	return cr
}

func statefulSet(name string) appsv1.StatefulSet {
	return appsv1.StatefulSet{ObjectMeta: objMeta(name, "uid-"+name, nil)}
}

func daemonSet(name string) appsv1.DaemonSet {
	return appsv1.DaemonSet{ObjectMeta: objMeta(name, "uid-"+name, nil)}
}

func job(name string, t corev1.PodTemplateSpec) batchv1.Job {
	j := batchv1.Job{ObjectMeta: objMeta(name, "uid-"+name, nil)}
	j.Spec.Template = t
	return j
}

// livePod is a running pod with owner (nil: naked) and the given images of
// containers "web", "side", ...; change adjusts it. A pod of ReplicaSet
// web-N has the pod-template-hash label hN, as replicaSet gives web-N.
func livePod(name string, owner *metav1.OwnerReference, images []string, change ...func(*corev1.Pod)) corev1.Pod {
	p := corev1.Pod{ObjectMeta: objMeta(name, "uid-"+name, owner)}
	p.Labels = map[string]string{"app": "x"}
	if owner != nil && owner.Kind == "ReplicaSet" {
		p.Labels[labelPodTemplateHash] = "h" + owner.Name[len(owner.Name)-1:]
	}
	p.Spec = template(images...).Spec
	p.Status.Phase = corev1.PodRunning
	start := metav1.NewTime(testNow.Add(-time.Minute))
	p.Status.StartTime = &start
	for _, c := range p.Spec.Containers {
		p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, corev1.ContainerStatus{
			Name: c.Name, Image: c.Image, Ready: true,
			State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: start}},
		})
	}
	for _, f := range change {
		f(&p)
	}
	return p
}

// withIDs sets the status imageID of the containers, in order.
func withIDs(ids ...string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		for i, id := range ids {
			p.Status.ContainerStatuses[i].ImageID = id
		}
	}
}

func withLabel(k, v string) func(*corev1.Pod) {
	return func(p *corev1.Pod) { p.Labels[k] = v }
}

func node(name string, labels map[string]string, info corev1.NodeSystemInfo) corev1.Node {
	return corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, UID: types.UID("uid-" + name), Labels: labels},
		Status: corev1.NodeStatus{NodeInfo: info}}
}

func nodeInfo(os, kernel, runtime, kubelet string) corev1.NodeSystemInfo {
	return corev1.NodeSystemInfo{OSImage: os, KernelVersion: kernel, ContainerRuntimeVersion: runtime, KubeletVersion: kubelet}
}
