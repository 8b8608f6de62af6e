package cluster

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/google/go-cmp/cmp"

	"github.com/immutcheck/immutcheck/internal/kubetest"
	"github.com/immutcheck/immutcheck/rules"
)

// TestE2ELiveRules produces each condition of the live rules on the real
// control plane, the way it happens in a cluster, and checks that the live rules
// reports exactly the drifted objects and none of the clean controls:
//
//   - Deployment "skew": pinned by digest; the test plays the kubelet and
//     gives one of its three pods another digest (running-digest-mismatch
//     on that pod, replica-digest-skew on the ReplicaSet);
//   - Deployment "patched": one pod's image patched as `kubectl set image
//     pod/...` does (pod-modified-in-place);
//   - Deployment "debugged": an ephemeral container added through the
//     ephemeralcontainers subresource (ephemeral-container);
//   - DaemonSet "agent" with the OnDelete strategy whose template changed:
//     the DaemonSet controller writes a second ControllerRevision, one pod
//     is recreated on it and the others stay on the first, which is not
//     drift; two pods of the first revision run different digests
//     (replica-digest-skew for that revision only);
//   - StatefulSet "db", OnDelete, template changed, one pod recreated and
//     another pod's image patched to the new revision's image
//     (pod-modified-in-place naming the revision it runs);
//   - Job "batch", whose pod kwok completes: finished pods are not
//     compared, and never too old;
//   - three nodes of one pool, one with another kernel (node-image-skew);
//   - clean controls: Deployment "clean" with matching digests, a naked
//     pod, a pending pod with no status, a terminating pod held by a
//     finalizer that was patched and debugged;
//   - then every running pod but the Job's is older than a MaxAge of 1s
//     (instance-too-old).
func TestE2ELiveRules(t *testing.T) {
	t.Parallel()
	c := kubetest.Env(t)
	e := &rulesTestEnv{t: t, kc: c, c: c.Client, ns: c.Namespace(t, "rules"), suffix: kubetest.Suffix()}
	e.testLabel = map[string]string{"e2e.immutcheck.dev/rules": e.suffix}
	poolKey := "e2e.immutcheck.dev/pool"
	pool := "rules-" + e.suffix
	info := corev1.NodeSystemInfo{OSImage: "Debian GNU/Linux 12", KernelVersion: "6.1.0-28-amd64",
		ContainerRuntimeVersion: "containerd://1.7.24", KubeletVersion: "v1.31.4", OperatingSystem: "linux", Architecture: "amd64"}
	odd := info
	odd.KernelVersion = "6.1.0-13-amd64"
	var nodes []string
	for i, ni := range []corev1.NodeSystemInfo{info, odd, info} {
		name := fmt.Sprintf("rules-%s-%d", e.suffix, i)
		c.Node(t, name, map[string]string{"e2e.immutcheck.dev/rules": e.suffix, poolKey: pool}, ni)
		nodes = append(nodes, name)
	}

	// Deployments.
	skew := e.deployment("skew", 3, "reg.example/web@"+digestA)
	clean := e.deployment("clean", 2, "reg.example/web@"+digestA)
	patched := e.deployment("patched", 2, "reg.example/app:1")
	debugged := e.deployment("debugged", 1, "reg.example/app:1")
	e.setIDs(skew[0], "reg.example/web@"+digestA)
	e.setIDs(skew[1], "docker-pullable://reg.example/web@"+digestA)
	e.setIDs(skew[2], "reg.example/web@"+digestB)
	e.setIDs(clean[0], "reg.example/web@"+digestA)
	e.setIDs(clean[1], "docker.io/reg/web@"+digestA)
	e.patchImage(patched[0], "reg.example/app:2")
	e.debug(debugged[0])

	// OnDelete DaemonSet: revision 1 on three nodes, then revision 2
	// for one recreated pod.
	agent1 := e.daemonSet("reg.example/agent:1")
	e.updateDaemonSet("reg.example/agent:2")
	e.deletePod(agent1[0])
	agents := e.pods("app=agent", 3)
	var rev1, rev2 []corev1.Pod
	for _, p := range agents {
		if p.Name == agent1[0] {
			t.Fatalf("DaemonSet pod %s was not recreated", p.Name)
		}
		if p.Spec.Containers[0].Image == "reg.example/agent:2" {
			rev2 = append(rev2, p)
		} else {
			rev1 = append(rev1, p)
		}
	}
	if len(rev1) != 2 || len(rev2) != 1 {
		t.Fatalf("DaemonSet pods: %d on revision 1, %d on revision 2", len(rev1), len(rev2))
	}
	e.setIDs(rev1[0].Name, "reg.example/agent@"+digestA)
	e.setIDs(rev1[1].Name, "reg.example/agent@"+digestC)
	e.setIDs(rev2[0].Name, "reg.example/agent@"+digestB)
	agentRevision := "agent-" + rev1[0].Labels[labelRevisionHash]

	// OnDelete StatefulSet: db-1 recreated on revision 2, db-0 left on
	// revision 1 and its image patched to revision 2's.
	e.statefulSet("reg.example/db:1")
	e.updateStatefulSet("reg.example/db:2")
	e.deletePod("db-1")
	db := e.pods("app=db", 2)
	if got := db[1].Spec.Containers[0].Image; db[1].Name != "db-1" || got != "reg.example/db:2" {
		t.Fatalf("db-1 recreated with %s", got)
	}
	dbRev2 := db[1].Labels[labelRevisionHash]
	e.patchImage("db-0", "reg.example/db:2")

	// Job: kwok completes Job pods at once, so it is finished and
	// compared with nothing.
	batch := e.job("reg.example/job@" + digestA)

	// Clean controls.
	e.nakedPod("naked", e.testLabel, false)
	nowhere := map[string]string{"e2e.immutcheck.dev/nowhere": e.suffix}
	e.nakedPod("pending", nowhere, false)
	// kwok deletes terminating pods on its nodes at once, finalizers or
	// not: the terminating pod is one that was never scheduled.
	leaving := e.nakedPod("leaving", nowhere, true)
	e.patchImage(leaving, "reg.example/app@"+digestA)
	e.setIDs(leaving, "reg.example/app@"+digestB)
	e.debug(leaving)
	e.deleteHeld(leaving)

	s := rulesTestList(t, e.c, e.ns)
	o := Options{PoolLabels: []string{poolKey}}
	pod := func(name, rest string) string { return "Pod/" + e.ns + "/" + name + rest }
	want := []string{
		"running-digest-mismatch " + pod(skew[2], " container app"),
		"replica-digest-skew ReplicaSet/" + e.ns + "/" + e.replicaSetOf(skew[0]) + " container app",
		"pod-modified-in-place " + pod(patched[0], " container app"),
		"ephemeral-container " + pod(debugged[0], " ephemeralContainer debugger"),
		"replica-digest-skew DaemonSet/" + e.ns + "/agent revision " + agentRevision + " container app",
		"pod-modified-in-place " + pod("db-0", " container app"),
		"node-image-skew node pool " + poolKey + "=" + pool + " kernelVersion",
	}
	got := e.mine(liveFindings(s, o, 0), nodes)
	t.Logf("findings:\n%s", dump(got))
	if diff := cmp.Diff(sorted(want), sorted(keys(got))); diff != "" {
		t.Errorf("findings (-want +got):\n%s\n%s", diff, dump(got))
	}
	for _, f := range got {
		switch {
		case f.Rule == rules.PodModifiedInPlace && strings.Contains(f.Subject, "db-0"):
			if !strings.Contains(f.Message, "ControllerRevision db-"+strings.TrimPrefix(dbRev2, "db-")) {
				t.Errorf("db-0: message does not name revision %s it runs: %s", dbRev2, f.Message)
			}
		case f.Rule == rules.ReplicaDigestSkew && strings.HasPrefix(f.Subject, "DaemonSet/"):
			if strings.Contains(f.Message, rev2[0].Name) || !strings.Contains(f.Message, "2 pods") {
				t.Errorf("DaemonSet skew mixes revisions: %s", f.Message)
			}
		case f.Rule == rules.NodeImageSkew:
			if f.Location.File != "cluster/node/"+nodes[1] || f.Object == nil || f.Object.Kind != "Node" {
				t.Errorf("node-image-skew at %s (%+v), want the odd node %s", f.Location.File, f.Object, nodes[1])
			}
		}
		if f.Object == nil || f.Object.UID == "" {
			t.Errorf("%s %s: object %+v", f.Rule.ID, f.Subject, f.Object)
		}
	}

	// The static rules see the naked pod as unmanaged (the lister's
	// conversion, shared with manifests).
	naked := false
	for _, w := range Workloads(s) {
		if w.Kind == "Pod" && w.Name == "naked" {
			naked = true
			if w.Controlled {
				t.Errorf("naked pod is a controlled workload")
			}
		}
	}
	if !naked {
		t.Errorf("naked pod is not among the workloads the static rules check")
	}

	// Every running pod but the Job's is older than a second by now.
	time.Sleep(1100 * time.Millisecond)
	s = rulesTestList(t, e.c, e.ns)
	var wantOld []string
	for _, p := range s.Pods {
		if p.Status.Phase == corev1.PodRunning && p.DeletionTimestamp == nil && p.Name != batch {
			wantOld = append(wantOld, "instance-too-old "+pod(p.Name, ""))
		}
	}
	if len(wantOld) != 3+2+2+1+3+2+1 {
		t.Errorf("%d running pods, want 14: %v", len(wantOld), wantOld)
	}
	var old []rules.Finding
	for _, f := range e.mine(liveFindings(s, o, time.Second), nodes) {
		if f.Rule == rules.InstanceTooOld {
			old = append(old, f)
		}
	}
	if diff := cmp.Diff(sorted(wantOld), sorted(keys(old))); diff != "" {
		t.Errorf("instance-too-old (-want +got):\n%s", diff)
	}
}

// rulesTestList reads a snapshot of namespace ns (and every node) with
// the audit's lister.
func rulesTestList(t *testing.T, c kubernetes.Interface, ns string) *Snapshot {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := List(ctx, c, Scope{Namespace: ns})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	if len(s.Unread) > 0 {
		t.Fatalf("collections not listed: %+v", s.Unread)
	}
	return s
}

func keys(fs []rules.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Rule.ID + " " + f.Subject
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
