package cluster

import (
	"context"
	"fmt"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
)

// listBenchCluster is the bench/ cluster's shape: 500 Deployments of 20 pods
// (one ReplicaSet each) on 200 nodes, every object with managed fields
// and a last-applied annotation as kubectl apply leaves them.
func listBenchCluster() []runtime.Object {
	yes := true
	meta := func(ns, name, owner, kind string) metav1.ObjectMeta {
		m := metav1.ObjectMeta{
			Namespace: ns, Name: name, UID: types.UID("uid-" + name),
			Labels:        map[string]string{"app": owner, "pod-template-hash": "5d8f9c7b6"},
			Annotations:   map[string]string{lastApplied: `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},"spec":{"replicas":20}}`},
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "kube-controller-manager", Operation: metav1.ManagedFieldsOperationUpdate, FieldsType: "FieldsV1", FieldsV1: &metav1.FieldsV1{Raw: make([]byte, 600)}}},
		}
		if owner != "" {
			m.OwnerReferences = []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: kind, Name: owner, UID: types.UID("uid-" + owner), Controller: &yes}}
		}
		return m
	}
	ctr := corev1.Container{Name: "app", Image: "registry.example/shop/web:1.4.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		Ports:          []corev1.ContainerPort{{ContainerPort: 8080}},
		ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/ready"}}}}
	tpl := corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{ctr}}}
	var objs []runtime.Object
	for n := range 200 {
		objs = append(objs, &corev1.Node{ObjectMeta: meta("", fmt.Sprintf("node-%d", n), "", "")})
	}
	for d := range 500 {
		ns := fmt.Sprintf("ns-%d", d%10)
		dn := fmt.Sprintf("web-%d", d)
		rs := dn + "-5d8f9c7b6"
		objs = append(objs,
			&appsv1.Deployment{ObjectMeta: meta(ns, dn, "", ""), Spec: appsv1.DeploymentSpec{Template: tpl}},
			&appsv1.ReplicaSet{ObjectMeta: meta(ns, rs, dn, "Deployment"), Spec: appsv1.ReplicaSetSpec{Template: tpl}})
		for p := range 20 {
			pod := &corev1.Pod{ObjectMeta: meta(ns, fmt.Sprintf("%s-%d", rs, p), rs, "ReplicaSet"), Spec: tpl.Spec}
			pod.Spec.NodeName = fmt.Sprintf("node-%d", (d*20+p)%200)
			pod.Status = corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{
				Name: "app", Image: ctr.Image, ImageID: "registry.example/shop/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}}}
			objs = append(objs, pod)
		}
	}
	return objs
}

// BenchmarkListAndWorkloads lists a 10,000-pod cluster from the fake
// clientset (whose own copying is part of the cost) and builds its
// workloads.
func BenchmarkListAndWorkloads(b *testing.B) {
	c := newListFake(b, &listPager{cache: true}, listBenchCluster()...)
	b.ReportAllocs()
	for b.Loop() {
		s, err := List(context.Background(), c, Scope{})
		if err != nil {
			b.Fatal(err)
		}
		if ws := Workloads(s); len(s.Pods) != 10000 || len(ws) != 500 {
			b.Fatalf("%d pods, %d workloads", len(s.Pods), len(ws))
		}
	}
}
