package rules

import "github.com/immutcheck/immutcheck/model"

const otherDigest = "sha256:1111111111111111111111111111111111111111111111111111111111111111"

// runningPod is a pod whose one container runs the digest running, declared
// as declared by its ReplicaSet's template.
func runningPod(declared, imageID string, digests ...string) *model.File {
	return &model.File{Path: "cluster", Instances: []*model.Instance{{
		Kind: "Pod", Subject: "Pod/shop/web-1", Location: model.Location{File: "cluster/shop/Pod/web-1"},
		Object: &model.ObjectRef{Kind: "Pod", Namespace: "shop", Name: "web-1"},
		Containers: []model.RunningContainer{{
			Role: "container", Name: "web", Declared: model.NewArtifact(declared, model.Location{}),
			DeclaredBy: "the template of ReplicaSet shop/web-1", ImageID: imageID, Digests: digests,
		}},
	}}}
}

// sharedCases are the rules that judge every kind of instance with one
// check: pods, Docker containers, hosts.
var sharedCases = map[*Rule]modelCase{
	RunningDigestMismatch: {
		bad: func() *model.File {
			f := runningPod("ghcr.io/acme/web@"+testDigest, "ghcr.io/acme/web@"+otherDigest, otherDigest)
			docker := &model.Instance{Kind: "Container", Subject: "container web", Location: model.Location{File: "container/web"},
				Containers: []model.RunningContainer{{Role: "container", Name: "web", Declared: model.NewArtifact("ghcr.io/acme/web:1.0", model.Location{}),
					DeclaredBy: "compose service web", Config: otherDigest, TagNow: testDigest}}}
			f.Instances = append(f.Instances, docker)
			return f
		},
		good: func() *model.File {
			f := runningPod("ghcr.io/acme/web@"+testDigest, "ghcr.io/acme/web@"+testDigest, testDigest)
			// A container that has not started, and a tag with nothing to
			// compare, are not reported.
			f.Instances = append(f.Instances, runningPod("ghcr.io/acme/web@"+testDigest, "").Instances[0],
				runningPod("ghcr.io/acme/web:1.0", "ghcr.io/acme/web@"+otherDigest, otherDigest).Instances[0])
			return f
		},
		want: "the template of ReplicaSet shop/web-1 pins ghcr.io/acme/web@" + testDigest,
	},
	ExecSession: {
		bad: func() *model.File {
			f := runningPod("ghcr.io/acme/web@"+testDigest, "")
			f.Instances[0].Sessions = []model.Session{{Kind: "exec", User: "admin", Container: "web", Command: "sh -c id", Response: 101, Source: "audit log",
				Location: model.Location{File: "audit.log", Line: 7}}}
			docker := &model.Instance{Kind: "Container", Subject: "container web", Location: model.Location{File: "container/web"},
				Sessions: []model.Session{{Kind: "exec", Command: "/bin/bash", Running: true, Source: "docker exec"}}}
			f.Instances = append(f.Instances, docker)
			return f
		},
		good: func() *model.File { return runningPod("ghcr.io/acme/web@"+testDigest, "") },
		want: `exec by "admin" in container "web": sh -c id (response 101)`,
	},
}
