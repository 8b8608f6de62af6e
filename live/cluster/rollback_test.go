package cluster

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/google/go-cmp/cmp"
)

func TestRollbackImages(t *testing.T) {
	t.Parallel()
	dep := appsv1.Deployment{ObjectMeta: objMeta("web", "uid-web", nil)}
	withInit := template("reg.example/web:2")
	withInit.Spec.InitContainers = append(withInit.Spec.InitContainers, withInit.Spec.Containers[0])
	withInit.Spec.InitContainers[0].Name, withInit.Spec.InitContainers[0].Image = "migrate", "reg.example/migrate:2"
	unnumbered := replicaSet("web-9", "h9", "", template("reg.example/web:9"))
	broken := revision("db", "uid-db", "StatefulSet", "r2", 2, template("x"))
	broken.Data.Raw = []byte("{")
	s := &Snapshot{
		Deployments: []appsv1.Deployment{dep},
		ReplicaSets: []appsv1.ReplicaSet{
			replicaSet("web-1", "h1", "1", template("reg.example/web:1")),
			replicaSet("web-3", "h3", "3", template("reg.example/web:3")),
			replicaSet("web-2", "h2", "2", withInit),
			replicaSet("web-10", "h10", "10", template("reg.example/web:10")),
			unnumbered,
		},
		StatefulSets: []appsv1.StatefulSet{statefulSet("db")},
		DaemonSets:   []appsv1.DaemonSet{daemonSet("agent")},
		ControllerRevisions: []appsv1.ControllerRevision{
			revision("db", "uid-db", "StatefulSet", "r1", 1, template("reg.example/db:1")),
			broken,
			revision("db", "uid-db", "StatefulSet", "r3", 3, template("reg.example/db:3")),
			revision("agent", "uid-agent", "DaemonSet", "a1", 1, template("reg.example/agent:1")),
		},
	}
	var got []string
	for _, r := range RollbackImages(s, 2) {
		line := r.Subject() + " " + r.Revision + " " + r.Image + " " + r.Location().File
		if r.Err != nil {
			line += " error"
		}
		got = append(got, line)
	}
	want := []string{
		// web-10 is current; 3 and 2 are the two before it.
		"Deployment/shop/web revision 3 container web ReplicaSet web-3 reg.example/web:3 cluster/shop/deployment/web",
		"Deployment/shop/web revision 2 initContainer migrate ReplicaSet web-2 reg.example/migrate:2 cluster/shop/deployment/web",
		"Deployment/shop/web revision 2 container web ReplicaSet web-2 reg.example/web:2 cluster/shop/deployment/web",
		// r3 is current; r2 does not decode, r1 is the one before.
		"StatefulSet/shop/db revision 2 ControllerRevision db-r2  cluster/shop/statefulset/db error",
		"StatefulSet/shop/db revision 1 container web ControllerRevision db-r1 reg.example/db:1 cluster/shop/statefulset/db",
		// agent has a single revision: nothing to roll back to.
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rollback images (-want +got):\n%s", diff)
	}
	if n := len(RollbackImages(s, 0)); n != 0 {
		t.Errorf("0 revisions: %d images", n)
	}
	deployment := 0
	for _, r := range RollbackImages(s, 100) {
		if r.Workload.Kind == "Deployment" {
			deployment++
			if r.Workload.UID != "uid-web" || strings.HasSuffix(r.Image, ":10") || strings.HasSuffix(r.Image, ":9") {
				t.Errorf("deployment rollback image %+v", r)
			}
		}
	}
	if deployment != 4 {
		t.Errorf("all revisions: %d images of the Deployment, want 4 (web:3, migrate:2, web:2, web:1)", deployment)
	}
}
