package cluster

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/google/go-cmp/cmp"

	"github.com/immutcheck/immutcheck/rules"
)

// want is one expected finding: rule, subject and location exactly, and
// words the message must contain.
type want struct {
	rule, subject, loc string
	words              []string
}

func (w want) key() string { return w.rule + " | " + w.subject + " | " + w.loc }

func TestLiveRules(t *testing.T) {
	t.Parallel()
	rsPinned := replicaSet("web-1", "h1", "1", template("reg.example/web@"+digestA))
	rsTag := replicaSet("web-1", "h1", "1", template("reg.example/web:1.0"))
	rsTag2 := replicaSet("web-2", "h2", "2", template("reg.example/web:2.0"))
	byRS := ownedBy("ReplicaSet", "web-1", "uid-web-1")
	byRS2 := ownedBy("ReplicaSet", "web-2", "uid-web-2")
	repo := func(d string) string { return "reg.example/web@" + d }
	podLoc := func(name string) string { return "cluster/shop/pod/" + name }
	sts := statefulSet("db")
	byDB := ownedBy("StatefulSet", "db", "uid-db")
	dbRev1 := revision("db", "uid-db", "StatefulSet", "r1", 1, template("reg.example/db:1"))
	dbRev2 := revision("db", "uid-db", "StatefulSet", "r2", 2, template("reg.example/db:2"))
	ds := daemonSet("agent")
	byAgent := ownedBy("DaemonSet", "agent", "uid-agent")
	agentRev := revision("agent", "uid-agent", "DaemonSet", "abc", 1, template("reg.example/agent:1"))
	agentRev2 := revision("agent", "uid-agent", "DaemonSet", "def", 2, template("reg.example/agent:2"))
	deleting := func(p *corev1.Pod) { now := metav1.NewTime(testNow); p.DeletionTimestamp = &now }
	old := func(p *corev1.Pod) { p.CreationTimestamp = metav1.NewTime(testNow.Add(-3 * time.Hour)) }
	gke := "cloud.google.com/gke-nodepool"

	tests := []struct {
		name   string
		s      Snapshot
		o      Options
		maxAge time.Duration
		want   []want
	}{
		{
			name: "running digest differs from the template's pin",
			s: Snapshot{ReplicaSets: []appsv1.ReplicaSet{rsPinned}, Pods: []corev1.Pod{
				livePod("web-1-a", byRS, []string{repo(digestA)}, withIDs(repo(digestA))),
				livePod("web-1-b", byRS, []string{repo(digestA)}, withIDs("docker-pullable://"+repo(digestB))),
			}},
			want: []want{
				{"running-digest-mismatch", "Pod/shop/web-1-b container web", podLoc("web-1-b"), []string{digestB, "ReplicaSet web-1 pins reg.example/web@" + digestA}},
				{"replica-digest-skew", "ReplicaSet/shop/web-1 container web", "cluster/shop/replicaset/web-1", []string{digestA + " on 1 pod (web-1-a)", digestB + " on 1 pod (web-1-b)"}},
			},
		},
		{
			name: "image ID forms that match, cannot be compared, or are empty",
			s: Snapshot{ReplicaSets: []appsv1.ReplicaSet{rsPinned}, Pods: []corev1.Pod{
				livePod("a", byRS, []string{repo(digestA)}, withIDs("docker-pullable://"+repo(digestA))),
				livePod("b", byRS, []string{repo(digestA)}, withIDs("docker.io/library/web@"+digestA)),
				livePod("c", byRS, []string{repo(digestA)}, withIDs(digestA)),
				livePod("d", byRS, []string{repo(digestA)}, withIDs("docker://"+digestB)),
				livePod("e", byRS, []string{repo(digestA)}, withIDs("")),
				livePod("f", byRS, []string{repo(digestA)}, withIDs("not an id@sha256:zz")),
			}},
			// c and d carry config digests: compared with each other
			// only, and they differ.
			want: []want{{"replica-digest-skew", "ReplicaSet/shop/web-1 container web", "cluster/shop/replicaset/web-1", []string{"2 different image IDs"}}},
		},
		{
			name: "a template that does not pin a digest is not compared",
			s: Snapshot{ReplicaSets: []appsv1.ReplicaSet{rsTag}, Pods: []corev1.Pod{
				livePod("a", byRS, []string{"reg.example/web:1.0"}, withIDs(repo(digestB))),
			}},
		},
		{
			name: "replicas of one revision on different digests",
			s: Snapshot{ReplicaSets: []appsv1.ReplicaSet{rsTag}, Pods: []corev1.Pod{
				livePod("a", byRS, []string{"reg.example/web:1.0"}, withIDs(repo(digestA))),
				livePod("b", byRS, []string{"reg.example/web:1.0"}, withIDs(repo(digestA))),
				livePod("c", byRS, []string{"reg.example/web:1.0"}, withIDs(repo(digestB))),
				livePod("d", byRS, []string{"reg.example/web:1.0"}, withIDs("")),
			}},
			want: []want{{"replica-digest-skew", "ReplicaSet/shop/web-1 container web", "cluster/shop/replicaset/web-1",
				[]string{"3 pods of ReplicaSet web-1 run 2 different digests", digestA + " on 2 pods (a, b); " + digestB + " on 1 pod (c)", "template image reg.example/web:1.0"}}},
		},
		{
			name: "different revisions, a terminating pod and a finished pod are not skew",
			s: Snapshot{ReplicaSets: []appsv1.ReplicaSet{rsTag, rsTag2}, Pods: []corev1.Pod{
				livePod("a", byRS, []string{"reg.example/web:1.0"}, withIDs(repo(digestA))),
				livePod("b", byRS2, []string{"reg.example/web:2.0"}, withIDs(repo(digestB)), withLabel(labelPodTemplateHash, "h2")),
				livePod("c", byRS, []string{"reg.example/web:1.0"}, withIDs(repo(digestC)), deleting),
				livePod("d", byRS, []string{"reg.example/web:1.0"}, withIDs(repo(digestC)), func(p *corev1.Pod) { p.Status.Phase = corev1.PodSucceeded }),
			}},
		},
		{
			name: "pod image patched in place",
			s: Snapshot{ReplicaSets: []appsv1.ReplicaSet{rsTag, rsTag2}, Pods: []corev1.Pod{
				livePod("a", byRS, []string{"reg.example/web:2.0"}, withLabel(labelPodTemplateHash, "h1")),
				livePod("b", byRS, []string{"reg.example/web:9"}, withLabel(labelPodTemplateHash, "h1")),
			}},
			want: []want{
				{"pod-modified-in-place", "Pod/shop/a container web", podLoc("a"), []string{"runs image reg.example/web:2.0, but ReplicaSet web-1 declares reg.example/web:1.0", "those of ReplicaSet web-2"}},
				{"pod-modified-in-place", "Pod/shop/b container web", podLoc("b"), []string{"reg.example/web:9"}},
			},
		},
		{
			name: "creation-time additions and defaults are not modifications",
			s: Snapshot{ReplicaSets: []appsv1.ReplicaSet{rsTag}, Pods: []corev1.Pod{
				livePod("a", byRS, []string{"reg.example/web:1.0@" + digestA, "istio/proxyv2:1.20"}, withLabel(labelPodTemplateHash, "h1"), func(p *corev1.Pod) {
					s300 := int64(300)
					p.Spec.Tolerations = []corev1.Toleration{
						{Key: "node.kubernetes.io/not-ready", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: &s300},
						{Key: "node.kubernetes.io/unreachable", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoExecute, TolerationSeconds: &s300},
						{Key: "nvidia.com/gpu", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
					}
					p.Spec.Containers[0].Resources.Limits = corev1.ResourceList{"nvidia.com/gpu": resource.MustParse("1")}
					p.Spec.InitContainers = []corev1.Container{{Name: "istio-init", Image: "istio/proxyv2:1.20"}}
					p.Spec.RestartPolicy = corev1.RestartPolicyAlways
					p.Spec.NodeName = "n1"
				}),
				livePod("b", byRS, []string{"reg.example/web:1.0"}, withLabel(labelPodTemplateHash, "h1"), func(p *corev1.Pod) {
					p.Status = corev1.PodStatus{Phase: corev1.PodPending}
				}),
			}},
		},
		{
			name: "mutable fields changed on a live pod",
			s: Snapshot{ReplicaSets: []appsv1.ReplicaSet{rsTag}, Pods: []corev1.Pod{
				livePod("a", byRS, []string{"reg.example/web:1.0"}, withLabel(labelPodTemplateHash, "h9"), func(p *corev1.Pod) {
					d := int64(60)
					p.Spec.ActiveDeadlineSeconds = &d
					p.Spec.Tolerations = []corev1.Toleration{{Key: "dedicated", Value: "db", Effect: corev1.TaintEffectNoSchedule}}
				}),
			}},
			want: []want{
				{"pod-modified-in-place", "Pod/shop/a", podLoc("a"), []string{`pod-template-hash label is "h9"`, `revision "h1"`}},
				{"pod-modified-in-place", "Pod/shop/a", podLoc("a"), []string{"activeDeadlineSeconds is 60", "declares unset"}},
				{"pod-modified-in-place", "Pod/shop/a", podLoc("a"), []string{"tolerations dedicated=db:NoSchedule were added"}},
			},
		},
		{
			name: "ephemeral container",
			s: Snapshot{ReplicaSets: []appsv1.ReplicaSet{rsTag}, Pods: []corev1.Pod{
				livePod("a", byRS, []string{"reg.example/web:1.0"}, withLabel(labelPodTemplateHash, "h1"), func(p *corev1.Pod) {
					p.Spec.EphemeralContainers = []corev1.EphemeralContainer{{TargetContainerName: "web",
						EphemeralContainerCommon: corev1.EphemeralContainerCommon{Name: "debugger", Image: "busybox:1.36"}}}
					p.Status.EphemeralContainerStatuses = []corev1.ContainerStatus{{Name: "debugger",
						State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(testNow)}}}}
				}),
				livePod("b", nil, []string{"reg.example/web:1.0"}, deleting, func(p *corev1.Pod) {
					p.Spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{Name: "d", Image: "busybox"}}}
				}),
			}},
			want: []want{{"ephemeral-container", "Pod/shop/a ephemeralContainer debugger", podLoc("a"),
				[]string{"image busybox:1.36", "targeting container web", "running since 2026-11-22T12:00:00Z"}}},
		},
		{
			name: "statefulset pods against their controller revisions",
			s: Snapshot{StatefulSets: []appsv1.StatefulSet{sts}, ControllerRevisions: []appsv1.ControllerRevision{dbRev1, dbRev2}, Pods: []corev1.Pod{
				// db-0 was left on the old revision (OnDelete): clean.
				livePod("db-0", byDB, []string{"reg.example/db:1"}, withLabel(labelRevisionHash, "db-r1"), withIDs(repo(digestA))),
				livePod("db-1", byDB, []string{"reg.example/db:2"}, withLabel(labelRevisionHash, "db-r2"), withIDs(repo(digestB))),
				// db-2 claims r2 and runs r1's image.
				livePod("db-2", byDB, []string{"reg.example/db:1"}, withLabel(labelRevisionHash, "db-r2"), withIDs(repo(digestB))),
			}},
			want: []want{{"pod-modified-in-place", "Pod/shop/db-2 container web", podLoc("db-2"),
				[]string{"ControllerRevision db-r2 of StatefulSet db declares reg.example/db:2", "those of ControllerRevision db-r1"}}},
		},
		{
			name: "a statefulset filtered out by the label selector is compared through its revisions",
			s: Snapshot{ControllerRevisions: []appsv1.ControllerRevision{dbRev1, dbRev2}, Pods: []corev1.Pod{
				livePod("db-0", byDB, []string{"reg.example/db:9"}, withLabel(labelRevisionHash, "db-r1")),
			}},
			want: []want{{"pod-modified-in-place", "Pod/shop/db-0 container web", podLoc("db-0"),
				[]string{"ControllerRevision db-r1 of StatefulSet db declares reg.example/db:1"}}},
		},
		{
			name: "daemonset revision skew, revisions named by hash",
			s: Snapshot{DaemonSets: []appsv1.DaemonSet{ds}, ControllerRevisions: []appsv1.ControllerRevision{agentRev, agentRev2}, Pods: []corev1.Pod{
				livePod("agent-1", byAgent, []string{"reg.example/agent:1"}, withLabel(labelRevisionHash, "abc"), withIDs(repo(digestA))),
				livePod("agent-2", byAgent, []string{"reg.example/agent:1"}, withLabel(labelRevisionHash, "abc"), withIDs(repo(digestB))),
				livePod("agent-3", byAgent, []string{"reg.example/agent:2"}, withLabel(labelRevisionHash, "def"), withIDs(repo(digestC))),
			}},
			want: []want{{"replica-digest-skew", "DaemonSet/shop/agent revision agent-abc container web", "cluster/shop/daemonset/agent",
				[]string{"2 pods of ControllerRevision agent-abc", "template image reg.example/agent:1"}}},
		},
		{
			name: "a revision that cannot be found or read is unchecked",
			s: Snapshot{StatefulSets: []appsv1.StatefulSet{sts}, ControllerRevisions: []appsv1.ControllerRevision{dbRev1, func() appsv1.ControllerRevision {
				cr := revision("db", "uid-db", "StatefulSet", "r3", 3, template("x"))
				cr.Data.Raw = []byte(`{"spec":{"template":7}}`)
				return cr
			}()}, Pods: []corev1.Pod{
				livePod("db-0", byDB, []string{"reg.example/db:1"}, withLabel(labelRevisionHash, "db-gone")),
				livePod("db-1", byDB, []string{"reg.example/db:1"}, withLabel(labelRevisionHash, "db-r3")),
				livePod("db-2", byDB, []string{"reg.example/db:1"}),
			}},
			want: []want{
				{"cluster-unchecked", "Pod/shop/db-0", podLoc("db-0"), []string{"revision db-gone it claims: not found"}},
				{"cluster-unchecked", "Pod/shop/db-1", podLoc("db-1"), []string{"controller revision db-r3: decode data"}},
				{"cluster-unchecked", "Pod/shop/db-2", podLoc("db-2"), []string{"no controller-revision-hash label"}},
			},
		},
		{
			name: "pods of deleted owners await garbage collection",
			s: Snapshot{ControllerRevisions: []appsv1.ControllerRevision{dbRev1}, Pods: []corev1.Pod{
				livePod("web-x", ownedBy("ReplicaSet", "gone", "uid-gone"), []string{"reg.example/web:1"}),
				livePod("batch-x", ownedBy("Job", "gone", "uid-gone-job"), []string{"reg.example/web:1"}),
				livePod("db-0", byDB, []string{"reg.example/db:1"}, withLabel(labelRevisionHash, "db-gone")),
			}},
		},
		{
			name: "controllers of other API groups are not looked up",
			s: Snapshot{ControllerRevisions: []appsv1.ControllerRevision{dbRev1}, Pods: []corev1.Pod{
				livePod("db-0", func() *metav1.OwnerReference {
					o := ownedBy("StatefulSet", "db", "uid-db")
					o.APIVersion = "apps.kruise.io/v1beta1"
					return o
				}(), []string{"reg.example/db:9"}, withLabel(labelRevisionHash, "db-r1")),
			}},
		},
		{
			name: "collections not listed are reported once, not per pod",
			s: Snapshot{StatefulSets: []appsv1.StatefulSet{sts}, Unread: []Unread{{Resource: "controllerrevisions", Err: errors.New("forbidden")}},
				Pods: []corev1.Pod{livePod("db-0", byDB, []string{"reg.example/db:1"}, withLabel(labelRevisionHash, "db-r1"))}},
			want: []want{{"cluster-unchecked", "controllerrevisions in all namespaces", "cluster/controllerrevisions", []string{"forbidden"}}},
		},
		{
			name: "naked pod and job pod compared with their own declarations",
			s: Snapshot{Jobs: []batchv1.Job{job("batch", template("reg.example/job@"+digestA))}, Pods: []corev1.Pod{
				livePod("naked", nil, []string{repo(digestA)}, withIDs(repo(digestB))),
				livePod("naked-ok", nil, []string{repo(digestA)}, withIDs(repo(digestA))),
				livePod("batch-x", ownedBy("Job", "batch", "uid-batch"), []string{"reg.example/job@" + digestA}, withIDs(repo(digestC)), old),
			}},
			o: Options{Now: testNow}, maxAge: time.Hour,
			want: []want{
				{"running-digest-mismatch", "Pod/shop/naked container web", podLoc("naked"), []string{"its own spec pins"}},
				{"running-digest-mismatch", "Pod/shop/batch-x container web", podLoc("batch-x"), []string{"Job batch pins"}},
			},
		},
		{
			name: "instance too old",
			s: Snapshot{Started: testNow, ReplicaSets: []appsv1.ReplicaSet{rsTag}, Pods: []corev1.Pod{
				livePod("old", byRS, []string{"reg.example/web:1.0"}, withLabel(labelPodTemplateHash, "h1"), old),
				livePod("young", byRS, []string{"reg.example/web:1.0"}, withLabel(labelPodTemplateHash, "h1")),
				livePod("old-pending", byRS, []string{"reg.example/web:1.0"}, withLabel(labelPodTemplateHash, "h1"), old, func(p *corev1.Pod) { p.Status.Phase = corev1.PodPending }),
				livePod("old-deleting", byRS, []string{"reg.example/web:1.0"}, withLabel(labelPodTemplateHash, "h1"), old, deleting),
				livePod("old-mirror", ownedBy("Node", "n1", "uid-n1"), []string{"reg.example/etcd:3"}, old, func(p *corev1.Pod) {
					p.Annotations = map[string]string{MirrorAnnotation: "x"}
				}),
			}},
			maxAge: time.Hour,
			want:   []want{{"instance-too-old", "Pod/shop/old", podLoc("old"), []string{"has run for 3h0m0s", "maximum age of 1h0m0s"}}},
		},
		{
			name: "instance too old is off by default",
			s:    Snapshot{Pods: []corev1.Pod{livePod("old", nil, []string{"x"}, old)}},
			o:    Options{Now: testNow},
		},
		{
			name: "node image skew within pools",
			s: Snapshot{Nodes: []corev1.Node{
				node("a1", map[string]string{gke: "a"}, nodeInfo("COS 1", "6.1", "containerd://1.7", "v1.31.4")),
				node("a2", map[string]string{gke: "a"}, nodeInfo("COS 1", "6.1", "containerd://1.7", "v1.31.4")),
				node("a3", map[string]string{gke: "a"}, nodeInfo("COS 1", "5.15", "containerd://1.7", "v1.31.4")),
				node("a4", map[string]string{gke: "a"}, nodeInfo("", "", "", "")),
				node("b1", map[string]string{gke: "b", "node.kubernetes.io/instance-type": "m5"}, nodeInfo("COS 2", "6.6", "containerd://1.7", "v1.30.0")),
				node("m1", map[string]string{"node.kubernetes.io/instance-type": "m5"}, nodeInfo("Ubuntu", "6.6", "containerd://1.6", "v1.31.4")),
				node("m2", map[string]string{"node.kubernetes.io/instance-type": "m5"}, nodeInfo("Ubuntu", "6.6", "containerd://1.7", "v1.31.4")),
				node("x1", nil, nodeInfo("Other", "1", "docker://20", "v1.20")),
				node("x2", nil, nodeInfo("Another", "2", "docker://24", "v1.21")),
			}},
			want: []want{
				{"node-image-skew", "node pool cloud.google.com/gke-nodepool=a kernelVersion", "cluster/node/a3", []string{`"6.1" on 2 nodes (a1, a2); "5.15" on 1 node (a3)`}},
				{"node-image-skew", "node pool node.kubernetes.io/instance-type=m5 containerRuntimeVersion", "cluster/node/m2", []string{`"containerd://1.6" on 1 node (m1); "containerd://1.7" on 1 node (m2)`}},
			},
		},
		{
			name: "node pool labels from the options",
			s: Snapshot{Nodes: []corev1.Node{
				node("a1", map[string]string{"pool": "a", gke: "x"}, nodeInfo("COS 1", "6.1", "containerd://1.7", "v1.31.4")),
				node("a2", map[string]string{"pool": "a", gke: "y"}, nodeInfo("COS 1", "6.1", "containerd://1.7", "v1.31.5")),
			}},
			o:    Options{PoolLabels: []string{"pool"}},
			want: []want{{"node-image-skew", "node pool pool=a kubeletVersion", "cluster/node/a2", nil}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := liveFindings(&tt.s, tt.o, tt.maxAge)
			checkFindings(t, got, tt.want)
		})
	}
}

// checkFindings compares findings with wants: the same rule, subject and
// location in any order, messages holding the wanted words, and an object
// reference on every finding about an object.
func checkFindings(t *testing.T, got []rules.Finding, wants []want) {
	t.Helper()
	var gk, wk []string
	for _, f := range got {
		gk = append(gk, want{f.Rule.ID, f.Subject, f.Location.File, nil}.key())
	}
	for _, w := range wants {
		wk = append(wk, w.key())
	}
	slices.Sort(gk)
	slices.Sort(wk)
	if diff := cmp.Diff(wk, gk); diff != "" {
		t.Errorf("findings (-want +got):\n%s\n%s", diff, dump(got))
		return
	}
	for _, w := range wants {
		if !slices.ContainsFunc(got, func(f rules.Finding) bool {
			return want{f.Rule.ID, f.Subject, f.Location.File, nil}.key() == w.key() && containsAll(f.Message, w.words)
		}) {
			t.Errorf("no %s finding with message containing %q:\n%s", w.key(), w.words, dump(got))
		}
	}
	for _, f := range got {
		if f.Severity != f.Rule.Severity {
			t.Errorf("%s: severity %v, rule's is %v", f.Subject, f.Severity, f.Rule.Severity)
		}
		if strings.HasPrefix(f.Location.File, "cluster/shop/") || strings.HasPrefix(f.Location.File, "cluster/node/") {
			if f.Object == nil || f.Object.Name == "" || f.Object.UID == "" || f.Object.APIVersion == "" {
				t.Errorf("%s: object reference %+v", f.Subject, f.Object)
			}
		}
	}
}

func containsAll(s string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

func dump(fs []rules.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s | %s | %s: %s\n", f.Rule.ID, f.Subject, f.Location.File, f.Message)
	}
	return b.String()
}
