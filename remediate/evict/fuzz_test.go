package evict

import (
	"fmt"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/immutcheck/immutcheck/live/cluster"
	"github.com/immutcheck/immutcheck/rules"
)

// FuzzPlanEvictions feeds NewPlan image IDs and template images the
// cluster reports (attacker-influenced: anyone who can push an image or
// patch a pod status chooses them), namespaces and owner kinds, and checks
// the plan's invariants: no panic; only controlled, non-Job, running pods
// outside kube-system are planned; the caps hold; every flagged pod is
// either planned or skipped with a reason.
func FuzzPlanEvictions(f *testing.F) {
	f.Add("example.com/web@"+evictTestDigestA, "example.com/web@"+evictTestDigestB, "example.com/web:1", "shop", "ReplicaSet", uint8(3))
	f.Add("docker-pullable://web@"+evictTestDigestA, "sha256:"+evictTestDigestB[7:], "example.com/web@"+evictTestDigestA, "kube-system", "Job", uint8(0))
	f.Add("@", "@@sha256:", "@sha256:zz", "", "", uint8(255))
	f.Add("x@sha256:", "docker://sha256:"+evictTestDigestA[7:], "${IMAGE}", "shop", "StatefulSet", uint8(7))
	f.Fuzz(func(t *testing.T, idA, idB, image, ns, kind string, n uint8) {
		owner := evictTestOwner(kind, "w")
		rs := evictTestReplicaSet(ns, "w", image, nil)
		rs.UID = owner.UID
		s := &cluster.Snapshot{ReplicaSets: []appsv1.ReplicaSet{rs}}
		var findings []rules.Finding
		for i := range int(n % 16) {
			id := idA
			if i%3 == 0 {
				id = idB
			}
			o := owner
			if i%5 == 4 {
				o = nil
			}
			p := evictTestPod(ns, fmt.Sprintf("w-%d", i), o, "")
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "app", ImageID: id}}
			s.Pods = append(s.Pods, p)
			if i%2 == 0 {
				findings = append(findings, evictTestFinding(rules.PodModifiedInPlace, "Pod", ns, p.Name))
			}
		}
		findings = append(findings, evictTestFinding(rules.ReplicaDigestSkew, "ReplicaSet", ns, "w"))
		o := Options{MaxTotal: 4, MaxPerNamespace: 3}
		p := NewPlan(s, findings, o)
		if len(p.Evict) > 3 {
			t.Fatalf("%d planned in one namespace, cap 3", len(p.Evict))
		}
		for _, tg := range p.Evict {
			if tg.Owner.Kind == "" || tg.Owner.Kind == "Job" || tg.Pod.Namespace == "kube-system" || tg.Pod.UID == "" || tg.ResourceVersion == "" {
				t.Fatalf("planned %+v", tg)
			}
		}
		for _, sk := range p.Skipped {
			if sk.Reason == "" {
				t.Fatalf("skipped without a reason: %+v", sk)
			}
		}
		if len(p.Evict)+len(p.Skipped) == 0 && len(findings) > 1 {
			t.Fatalf("%d findings on pods, nothing planned or skipped", len(findings)-1)
		}
	})
}
