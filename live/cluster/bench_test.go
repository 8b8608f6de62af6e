package cluster

import (
	"fmt"
	"testing"

	"github.com/immutcheck/immutcheck/model"
)

// BenchmarkCheck reads a snapshot into instances and runs the live rules
// on them: a snapshot the size of the
// issue's benchmark cluster: 500 ReplicaSets of 20 pods (10,000 pods) on
// 200 nodes in 4 pools.
func BenchmarkCheck(b *testing.B) {
	s := &Snapshot{Started: testNow}
	for i := range 500 {
		name := fmt.Sprintf("web%03d-1", i)
		s.ReplicaSets = append(s.ReplicaSets, replicaSet(name, "h1", "1", template("reg.example/web@"+digestA)))
		for j := range 20 {
			s.Pods = append(s.Pods, livePod(fmt.Sprintf("%s-%02d", name, j), ownedBy("ReplicaSet", name, "uid-"+name),
				[]string{"reg.example/web@" + digestA}, withIDs("reg.example/web@"+digestA)))
		}
	}
	for i := range 200 {
		s.Nodes = append(s.Nodes, node(fmt.Sprintf("n%03d", i), map[string]string{"karpenter.sh/nodepool": fmt.Sprint(i % 4)},
			nodeInfo("Bottlerocket", "6.1", "containerd://1.7", "v1.31.4")))
	}
	ev := evaluator(0)
	b.ReportAllocs()
	for b.Loop() {
		is, ps := Instances(s, Options{})
		if fs := ev.Evaluate(&model.File{Path: "cluster", Instances: is, Problems: ps}); len(fs) != 0 {
			b.Fatalf("%d findings", len(fs))
		}
	}
}
