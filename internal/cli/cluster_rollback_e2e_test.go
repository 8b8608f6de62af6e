package cli

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"

	"github.com/google/go-cmp/cmp"

	"github.com/immutcheck/immutcheck/config"
	"github.com/immutcheck/immutcheck/internal/e2e"
	"github.com/immutcheck/immutcheck/internal/kubetest"
	"github.com/immutcheck/immutcheck/live/cluster"
)

// TestE2EClusterRollbackImages rolls a Deployment and an OnDelete
// StatefulSet through three images on the real control plane, deletes
// the first image from the real registry, and checks that
// rollback-image-missing names exactly the revisions that used it — from
// the ReplicaSets and from the ControllerRevisions the controllers wrote.
func TestE2EClusterRollbackImages(t *testing.T) {
	t.Parallel()
	kc := kubetest.Env(t)
	reg := e2e.Registry(t)
	ns := kc.Namespace(t, "rollback")
	repo := reg + "/rollback-" + kubetest.Suffix()
	first := pushImage(t, repo+":1")
	pushImage(t, repo+":2")
	pushImage(t, repo+":3")
	ctx := context.Background()
	c := kc.Client

	// Pods stay Pending (no node matches): the controllers write
	// revisions whether or not pods run.
	spec := func(image string) corev1.PodTemplateSpec {
		return corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "x"}},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: image}},
				NodeSelector: map[string]string{"e2e.immutcheck.dev/nowhere": "yes"}}}
	}
	one := int32(1)
	sel := &metav1.LabelSelector{MatchLabels: map[string]string{"app": "x"}}
	if _, err := c.AppsV1().Deployments(ns).Create(ctx, &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: appsv1.DeploymentSpec{Replicas: &one, Selector: sel, Template: spec(repo + ":1")}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AppsV1().StatefulSets(ns).Create(ctx, &appsv1.StatefulSet{ObjectMeta: metav1.ObjectMeta{Name: "db"},
		Spec: appsv1.StatefulSetSpec{Replicas: &one, Selector: sel, ServiceName: "db", Template: spec(repo + ":1"),
			UpdateStrategy: appsv1.StatefulSetUpdateStrategy{Type: appsv1.OnDeleteStatefulSetStrategyType}}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	for i, tag := range []string{"2", "3"} {
		rollbackTestWait(t, c, ns, i+1)
		patch := fmt.Appendf(nil, `{"spec":{"template":{"spec":{"containers":[{"name":"app","image":%q}]}}}}`, repo+":"+tag)
		if _, err := c.AppsV1().Deployments(ns).Patch(ctx, "web", types.StrategicMergePatchType, patch, metav1.PatchOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.AppsV1().StatefulSets(ns).Patch(ctx, "db", types.StrategicMergePatchType, patch, metav1.PatchOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	rollbackTestWait(t, c, ns, 3)

	d, err := name.NewDigest(repo+"@"+first, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Delete(d); err != nil {
		t.Fatalf("delete %s from the registry: %v", d, err)
	}

	s := rollbackTestList(t, c, ns)
	for _, tt := range []struct {
		revisions int
		want      []string
	}{
		{1, nil},
		{2, []string{
			"rollback-image-missing Deployment/" + ns + "/web revision 1 container app",
			"rollback-image-missing StatefulSet/" + ns + "/db revision 1 container app",
		}},
	} {
		o, err := newRollbackOptions(&config.Config{}, registryFlags{Insecure: []string{reg}}, true, tt.revisions)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range rollbackFindings(t, ctx, s, o) {
			got = append(got, f.Rule.ID+" "+f.Subject)
		}
		slices.Sort(got)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%d revisions (-want +got):\n%s", tt.revisions, diff)
		}
	}
}

// rollbackTestWait waits until Deployment web has n ReplicaSets and
// StatefulSet db has n ControllerRevisions.
func rollbackTestWait(t *testing.T, c kubernetes.Interface, ns string, n int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		s := rollbackTestList(t, c, ns)
		if len(s.ReplicaSets) == n && len(s.ControllerRevisions) == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d ReplicaSets and %d ControllerRevisions, want %d", len(s.ReplicaSets), len(s.ControllerRevisions), n)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// rollbackTestList reads the workloads and revisions of ns.
func rollbackTestList(t *testing.T, c kubernetes.Interface, ns string) *cluster.Snapshot {
	t.Helper()
	ctx := context.Background()
	deps, err := c.AppsV1().Deployments(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := c.AppsV1().ReplicaSets(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sts, err := c.AppsV1().StatefulSets(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	crs, err := c.AppsV1().ControllerRevisions(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return &cluster.Snapshot{Deployments: deps.Items, ReplicaSets: rs.Items, StatefulSets: sts.Items, ControllerRevisions: crs.Items}
}
