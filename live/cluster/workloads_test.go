package cluster

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// om is object metadata in namespace "shop", controlled by the object
// with UID ctrl (kind k) when ctrl is not empty.
func wlMeta(name, ctrl, k string) metav1.ObjectMeta {
	m := metav1.ObjectMeta{Namespace: "shop", Name: name, UID: types.UID("u-" + name)}
	if ctrl != "" {
		yes := true
		m.OwnerReferences = []metav1.OwnerReference{{Kind: k, Name: ctrl, UID: types.UID("u-" + ctrl), Controller: &yes}}
	}
	return m
}

func wlSpec(image string) corev1.PodSpec {
	return corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: image}}}
}

func wlTemplate(image string) corev1.PodTemplateSpec {
	return corev1.PodTemplateSpec{Spec: wlSpec(image)}
}

func TestWorkloads(t *testing.T) {
	t.Parallel()
	mirror := corev1.Pod{ObjectMeta: wlMeta("etcd-n1", "n1", "Node"), Spec: wlSpec("etcd:3.5")}
	mirror.Annotations = map[string]string{MirrorAnnotation: "abc"}
	s := &Snapshot{
		Deployments: []appsv1.Deployment{{ObjectMeta: wlMeta("web", "", ""), Spec: appsv1.DeploymentSpec{Template: wlTemplate("web:1")}}},
		ReplicaSets: []appsv1.ReplicaSet{
			{ObjectMeta: wlMeta("web-1", "web", "Deployment"), Spec: appsv1.ReplicaSetSpec{Template: wlTemplate("web:1")}},
			{ObjectMeta: wlMeta("hand", "", ""), Spec: appsv1.ReplicaSetSpec{Template: wlTemplate("hand:1")}},
			// Owned by a Rollout, which is not listed: it has pods.
			{ObjectMeta: wlMeta("roll-2", "roll", "Rollout"), Spec: appsv1.ReplicaSetSpec{Template: wlTemplate("roll:2")}},
			// An old revision of the Rollout, without pods.
			{ObjectMeta: wlMeta("roll-1", "roll", "Rollout"), Spec: appsv1.ReplicaSetSpec{Template: wlTemplate("roll:1")}},
		},
		StatefulSets: []appsv1.StatefulSet{{ObjectMeta: wlMeta("db", "", ""), Spec: appsv1.StatefulSetSpec{Template: wlTemplate("db:1")}}},
		DaemonSets:   []appsv1.DaemonSet{{ObjectMeta: wlMeta("agent", "", ""), Spec: appsv1.DaemonSetSpec{Template: wlTemplate("agent:1")}}},
		CronJobs:     []batchv1.CronJob{{ObjectMeta: wlMeta("nightly", "", ""), Spec: batchv1.CronJobSpec{JobTemplate: batchv1.JobTemplateSpec{Spec: batchv1.JobSpec{Template: wlTemplate("n:1")}}}}},
		Jobs: []batchv1.Job{
			{ObjectMeta: wlMeta("nightly-1", "nightly", "CronJob"), Spec: batchv1.JobSpec{Template: wlTemplate("n:1")}},
			{ObjectMeta: wlMeta("once", "", ""), Spec: batchv1.JobSpec{Template: wlTemplate("once:1")}},
		},
		Pods: []corev1.Pod{
			{ObjectMeta: wlMeta("web-1-a", "web-1", "ReplicaSet"), Spec: wlSpec("web:1")},
			{ObjectMeta: wlMeta("web-1-b", "web-1", "ReplicaSet"), Spec: wlSpec("web:1")},
			{ObjectMeta: wlMeta("db-0", "db", "StatefulSet"), Spec: wlSpec("db:1")},
			{ObjectMeta: wlMeta("agent-x", "agent", "DaemonSet"), Spec: wlSpec("agent:1")},
			{ObjectMeta: wlMeta("nightly-1-x", "nightly-1", "Job"), Spec: wlSpec("n:1")},
			{ObjectMeta: wlMeta("once-x", "once", "Job"), Spec: wlSpec("once:1")},
			{ObjectMeta: wlMeta("hand-x", "hand", "ReplicaSet"), Spec: wlSpec("hand:1")},
			{ObjectMeta: wlMeta("roll-2-a", "roll-2", "ReplicaSet"), Spec: wlSpec("roll:2")},
			{ObjectMeta: wlMeta("roll-2-b", "roll-2", "ReplicaSet"), Spec: wlSpec("roll:2")},
			{ObjectMeta: wlMeta("op-a", "mydb", "Database"), Spec: wlSpec("op:1")},
			{ObjectMeta: wlMeta("op-b", "mydb", "Database"), Spec: wlSpec("op:1")},
			{ObjectMeta: wlMeta("naked", "", ""), Spec: wlSpec("naked:1")},
			mirror,
		},
	}
	type row struct {
		Location   string
		Kind, Name string
		Controlled bool
		Image      string
	}
	var got []row
	for _, w := range Workloads(s) {
		if w.Object == nil || w.Object.Kind != w.Kind || w.Object.Name != w.Name || w.Object.Namespace != "shop" ||
			w.Object.UID != "u-"+w.Name || w.Object.APIVersion == "" {
			t.Errorf("%s: Object = %+v", w.Subject(), w.Object)
		}
		got = append(got, row{w.Location.String(), w.Kind, w.Name, w.Controlled, w.Containers[0].Image.Ref})
	}
	want := []row{
		{"cluster/shop/deployment/web", "Deployment", "web", true, "web:1"},
		{"cluster/shop/statefulset/db", "StatefulSet", "db", true, "db:1"},
		{"cluster/shop/daemonset/agent", "DaemonSet", "agent", true, "agent:1"},
		{"cluster/shop/cronjob/nightly", "CronJob", "nightly", true, "n:1"},
		{"cluster/shop/replicaset/hand", "ReplicaSet", "hand", true, "hand:1"},
		{"cluster/shop/job/once", "Job", "once", true, "once:1"},
		{"cluster/shop/replicaset/roll-2", "ReplicaSet", "roll-2", true, "roll:2"},
		{"cluster/shop/pod/op-a", "Pod", "op-a", true, "op:1"},
		{"cluster/shop/pod/naked", "Pod", "naked", false, "naked:1"},
		{"cluster/shop/pod/etcd-n1", "Pod", "etcd-n1", true, "etcd:3.5"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("workloads (-want +got):\n%s", d)
	}
}

// TestWorkloadsStaticRules: the static catalog runs on live templates and
// its findings name the live object.
func TestWorkloadsStaticRules(t *testing.T) {
	t.Parallel()
	zero := int32(0)
	d := appsv1.Deployment{ObjectMeta: wlMeta("web", "", ""), Spec: appsv1.DeploymentSpec{Template: wlTemplate("nginx:latest"), RevisionHistoryLimit: &zero}}
	ev, err := rules.NewEvaluator(rules.All(), rules.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	ws := Workloads(&Snapshot{Deployments: []appsv1.Deployment{d}})
	fs := ev.Evaluate(&model.File{Path: "cluster", Format: "kubernetes", Workloads: ws})
	byRule := map[string]rules.Finding{}
	for _, f := range fs {
		byRule[f.Rule.ID] = f
	}
	for _, id := range []string{"image-not-pinned", "image-latest-tag", "no-revision-history", "missing-health-probe"} {
		f, ok := byRule[id]
		if !ok {
			t.Errorf("no %s finding; got %v", id, fs)
			continue
		}
		if f.Location.File != "cluster/shop/deployment/web" || f.Object == nil || f.Object.UID != "u-web" {
			t.Errorf("%s: location %v, object %+v", id, f.Location, f.Object)
		}
	}
}

func TestObjectLocation(t *testing.T) {
	t.Parallel()
	if got := ObjectLocation("", "Node", "n1").File; got != "cluster/node/n1" {
		t.Errorf("cluster-scoped: %q", got)
	}
	if got := ObjectLocation("a", "StatefulSet", "db").File; got != "cluster/a/statefulset/db" {
		t.Errorf("namespaced: %q", got)
	}
}
