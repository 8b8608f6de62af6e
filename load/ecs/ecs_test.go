package ecs

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/load/internal/loadtest"
	"github.com/immutcheck/immutcheck/model"
)

func TestFixtures(t *testing.T) {
	t.Parallel()
	loadtest.WantFixtures(t, Load, map[string][]string{
		"bad-task.json": {
			"privileged-instance:3", // networkMode host
			"host-path-volume:15",
			"image-latest-tag:7", "image-not-pinned:7",
			"privileged-instance:8",
			"ssh-access:9",
			"runtime-package-install:10",
			"missing-health-probe:5", "writable-root-filesystem:5",
		},
		"good-task.json":    nil,
		"bad-service.json":  {"no-automatic-rollback:9"},
		"good-service.json": nil,
	})
}

func TestDecodeContainerDefinitions(t *testing.T) {
	t.Parallel()
	w := &model.Workload{Source: Format, Kind: "aws_ecs_task_definition", Name: "web", Controlled: true}
	data := `[
  {"name": "web", "image": "nginx:1.27", "privileged": true, "readonlyRootFilesystem": true,
   "healthCheck": {"command": ["CMD", "true"]}, "portMappings": [{"containerPort": 22}]}
]`
	if probs := DecodeContainerDefinitions(w, "main.tf", 12, []byte(data)); len(probs) != 0 {
		t.Fatal(probs)
	}
	got := loadtest.Findings(t, &model.File{Path: "main.tf", Workloads: []*model.Workload{w}})
	want := []string{"image-not-pinned:12", "privileged-instance:12", "ssh-access:12"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	for _, bad := range []string{`{"name": "web"}`, `[1]`, `[{"image": 5}]`, `[`} {
		if probs := DecodeContainerDefinitions(w, "main.tf", 12, []byte(bad)); len(probs) != 1 || probs[0].Location.Line != 12 {
			t.Errorf("%s: problems %v, want one at line 12", bad, probs)
		}
	}
}
