package rules

import (
	"time"

	"github.com/immutcheck/immutcheck/model"
)

// replicaPod is pod name of ReplicaSet shop/web-1 whose container web runs
// the repository digest digest ("" for a container not started).
func replicaPod(name, digest string) *model.Instance {
	obj := &model.ObjectRef{APIVersion: "v1", Kind: "Pod", Namespace: "shop", Name: name, UID: "uid-" + name}
	in := &model.Instance{Kind: "Pod", Subject: "Pod/shop/" + name, Object: obj, Location: obj.Location(),
		Owner:    &model.ObjectRef{APIVersion: "apps/v1", Kind: "ReplicaSet", Namespace: "shop", Name: "web-1", UID: "uid-web-1"},
		Revision: "ReplicaSet web-1",
		Containers: []model.RunningContainer{{Role: "container", Name: "web", Declared: model.NewArtifact("ghcr.io/acme/web:1.0", model.Location{}),
			DeclaredBy: "ReplicaSet web-1"}}}
	if digest != "" {
		in.Containers[0].ImageID = "ghcr.io/acme/web@" + digest
		in.Containers[0].Digests = []string{digest}
	}
	return in
}

// clusterFile is a cluster model holding instances.
func clusterFile(ins ...*model.Instance) *model.File {
	return &model.File{Path: "cluster", Instances: ins}
}

// poolNode is node name of GKE pool a, running kernel.
func poolNode(name, kernel string) *model.Instance {
	obj := &model.ObjectRef{APIVersion: "v1", Kind: "Node", Name: name, UID: "uid-" + name}
	return &model.Instance{Kind: "Node", Subject: "Node/" + name, Object: obj, Location: obj.Location(), Node: name,
		Platform: &model.Platform{Pool: "a", PoolLabel: "cloud.google.com/gke-nodepool", OSImage: "COS", Kernel: kernel,
			Runtime: "containerd://1.7", Kubelet: "v1.31.4"}}
}

// clusterCases are the unit cases of the rules that judge pods and nodes
// as the API server reports them.
var clusterCases = map[*Rule]modelCase{
	ReplicaDigestSkew: {
		bad: func() *model.File {
			return clusterFile(replicaPod("web-1-a", testDigest), replicaPod("web-1-b", testDigest), replicaPod("web-1-c", otherDigest))
		},
		good: func() *model.File {
			// One digest, a container not started, and another revision
			// on another digest.
			other := replicaPod("web-2-a", otherDigest)
			other.Owner.Name, other.Owner.UID, other.Revision = "web-2", "uid-web-2", "ReplicaSet web-2"
			return clusterFile(replicaPod("web-1-a", testDigest), replicaPod("web-1-b", testDigest), replicaPod("web-1-c", ""), other)
		},
		want: "3 pods of ReplicaSet web-1 run 2 different digests of container web (template image ghcr.io/acme/web:1.0): " +
			testDigest + " on 2 pods (web-1-a, web-1-b); " + otherDigest + " on 1 pod (web-1-c)",
	},
	PodModifiedInPlace: {
		bad: func() *model.File {
			in := replicaPod("web-1-a", "")
			in.Edits = []model.Edit{
				{Role: "container", Container: "web", Field: "image", Declared: "ghcr.io/acme/web:1.0", Running: "ghcr.io/acme/web:2.0",
					DeclaredBy: "ReplicaSet web-1", Matches: "ReplicaSet web-2"},
				{Field: "activeDeadlineSeconds", Declared: "unset", Running: "60", DeclaredBy: "ReplicaSet web-1"},
			}
			return clusterFile(in)
		},
		good: func() *model.File { return clusterFile(replicaPod("web-1-a", testDigest)) },
		want: "container web runs image ghcr.io/acme/web:2.0, but ReplicaSet web-1 declares ghcr.io/acme/web:1.0; its images are those of ReplicaSet web-2",
	},
	EphemeralContainer: {
		bad: func() *model.File {
			in := replicaPod("web-1-a", testDigest)
			in.Ephemeral = []model.EphemeralContainer{{Name: "debugger", Image: "busybox:1.36", Target: "web", State: "running since 2026-11-22T12:00:00Z"}}
			return clusterFile(in)
		},
		good: func() *model.File { return clusterFile(replicaPod("web-1-a", testDigest)) },
		want: "ephemeral container debugger (image busybox:1.36, targeting container web) was added to the running pod; it is running since 2026-11-22T12:00:00Z",
	},
	NodeImageSkew: {
		bad: func() *model.File {
			return clusterFile(poolNode("a1", "6.1"), poolNode("a2", "6.1"), poolNode("a3", "5.15"))
		},
		good: func() *model.File {
			// A node in no pool, and one that has not reported, differ
			// from nothing.
			loose, silent := poolNode("x1", "4.19"), poolNode("a4", "")
			loose.Platform.Pool, loose.Platform.PoolLabel = "", ""
			return clusterFile(poolNode("a1", "6.1"), poolNode("a2", "6.1"), loose, silent)
		},
		want: `nodes of pool cloud.google.com/gke-nodepool=a report 2 different kernelVersion values: "6.1" on 2 nodes (a1, a2); "5.15" on 1 node (a3)`,
	},
	InstanceTooOld: {
		bad: func() *model.File {
			in := replicaPod("web-1-a", testDigest)
			in.Created = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
			in.Age = 3 * time.Hour
			return clusterFile(in)
		},
		good: func() *model.File {
			// Young, of unknown age, and a Job's pod, however old.
			young, unknown, job := replicaPod("web-1-a", testDigest), replicaPod("web-1-b", testDigest), replicaPod("batch-x", testDigest)
			young.Age = time.Minute
			job.Owner = &model.ObjectRef{APIVersion: "batch/v1", Kind: "Job", Namespace: "shop", Name: "batch", UID: "uid-batch"}
			job.Age = 3 * time.Hour
			return clusterFile(young, unknown, job)
		},
		want: "pod has run for 3h0m0s since 2026-11-22T09:00:00Z, longer than the maximum age of " + caseMaxAge.String(),
	},
}
