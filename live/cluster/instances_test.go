package cluster

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/immutcheck/immutcheck/model"
)

// TestInstances checks the model values a snapshot is read into, before
// any rule judges them.
func TestInstances(t *testing.T) {
	t.Parallel()
	rs := replicaSet("web-1", "h1", "1", template("reg.example/web@"+digestA))
	byRS := ownedBy("ReplicaSet", "web-1", "uid-web-1")
	s := &Snapshot{
		Started:     testNow,
		ReplicaSets: []appsv1.ReplicaSet{rs},
		Pods: []corev1.Pod{
			livePod("web-1-a", byRS, []string{"reg.example/web:9"}, withIDs("docker-pullable://reg.example/web@"+digestB), func(p *corev1.Pod) {
				p.Spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{Name: "dbg", Image: "busybox"}}}
			}),
			livePod("naked", nil, []string{"reg.example/web:1"}, withIDs(digestC)),
			livePod("gone", nil, []string{"x"}, func(p *corev1.Pod) { p.Status.Phase = corev1.PodSucceeded }),
			livePod("db-0", ownedBy("StatefulSet", "db", "uid-db"), []string{"reg.example/db:1"}),
		},
		Nodes: []corev1.Node{
			node("n1", map[string]string{"karpenter.sh/nodepool": "p", "node.kubernetes.io/instance-type": "m5"}, nodeInfo("COS", "6.1", "containerd://1.7", "v1.31.4")),
			func() corev1.Node {
				n := node("n2", nil, nodeInfo("COS", "6.1", "containerd://1.7", "v1.31.4"))
				n.DeletionTimestamp = &metav1.Time{Time: testNow}
				return n
			}(),
		},
		Unread: []Unread{{Resource: "jobs", Namespace: "shop", Err: errors.New("forbidden")}},
	}
	ins, problems := Instances(s, Options{})
	var subjects []string
	for _, in := range ins {
		subjects = append(subjects, in.Subject)
	}
	// The finished pod and the node being deleted are not instances.
	if diff := cmp.Diff([]string{"Pod/shop/web-1-a", "Pod/shop/naked", "Pod/shop/db-0", "Node/n1"}, subjects); diff != "" {
		t.Fatalf("instances (-want +got):\n%s", diff)
	}
	web, naked, db, n1 := ins[0], ins[1], ins[2], ins[3]
	if web.Location.File != "cluster/shop/pod/web-1-a" || web.Object.UID != "uid-web-1-a" || web.Owner.Name != "web-1" ||
		web.Revision != "ReplicaSet web-1" || web.Age != time.Minute || !web.Created.Equal(testNow.Add(-time.Minute)) {
		t.Errorf("web-1-a: %+v", web)
	}
	wantWeb := model.RunningContainer{Role: "container", Name: "web", Declared: model.NewArtifact("reg.example/web@"+digestA, model.Location{}),
		DeclaredBy: "ReplicaSet web-1", ImageID: "docker-pullable://reg.example/web@" + digestB, Digests: []string{digestB}}
	if diff := cmp.Diff([]model.RunningContainer{wantWeb}, web.Containers); diff != "" {
		t.Errorf("web-1-a containers (-want +got):\n%s", diff)
	}
	if len(web.Edits) != 1 || web.Edits[0].Field != "image" || web.Edits[0].Running != "reg.example/web:9" {
		t.Errorf("web-1-a edits %+v", web.Edits)
	}
	if len(web.Ephemeral) != 1 || web.Ephemeral[0].Name != "dbg" || web.Ephemeral[0].State != "" {
		t.Errorf("web-1-a ephemeral %+v", web.Ephemeral)
	}
	// A naked pod is compared with its own spec; a config digest is no
	// repository digest.
	if naked.Owner != nil || naked.Revision != "" || len(naked.Containers) != 1 || naked.Containers[0].DeclaredBy != "its own spec" ||
		naked.Containers[0].Digests != nil || naked.Containers[0].ImageID != digestC {
		t.Errorf("naked: %+v", naked)
	}
	// A StatefulSet pod without a revision label has no containers read,
	// and a problem instead; its owner is still known.
	if db.Containers != nil || db.Owner == nil || db.Owner.Kind != "StatefulSet" {
		t.Errorf("db-0: %+v", db)
	}
	if n1.Platform == nil || n1.Platform.Pool != "p" || n1.Platform.PoolLabel != "karpenter.sh/nodepool" || n1.Platform.Kernel != "6.1" ||
		n1.Location.File != "cluster/node/n1" {
		t.Errorf("n1: %+v %+v", n1, n1.Platform)
	}
	if len(problems) != 2 || problems[0].Kind != model.ClusterUnread || problems[0].Location.File != "cluster/shop/jobs" ||
		problems[1].Object != "Pod/shop/db-0" || problems[1].Ref == nil || !strings.Contains(problems[1].Err.Error(), "no controller-revision-hash label") {
		t.Errorf("problems %+v", problems)
	}
}
