package terraform

import (
	"strings"
	"testing"
)

// TestECSTaskDefinition checks that the container definitions of a planned
// aws_ecs_task_definition become a workload, and that a sensitive
// container_definitions is left out.
func TestECSTaskDefinition(t *testing.T) {
	t.Parallel()
	plan := func(afterSensitive string) string {
		return `{"format_version": "1.2", "terraform_version": "1.9.0", "resource_changes": [
  {"address": "aws_ecs_task_definition.web", "mode": "managed", "type": "aws_ecs_task_definition", "name": "web",
   "provider_name": "registry.terraform.io/hashicorp/aws",
   "change": {"actions": ["create"], "before": null,
     "after": {"family": "web", "container_definitions": "[{\"name\":\"web\",\"image\":\"nginx:1.27\",\"privileged\":true}]"},
     "after_unknown": {}, "before_sensitive": false, "after_sensitive": ` + afterSensitive + `}}]}`
	}
	f := Load("plan.json", []byte(plan(`{}`)))
	if len(f.Problems) != 0 || len(f.Workloads) != 1 {
		t.Fatalf("problems %v, workloads %d", f.Problems, len(f.Workloads))
	}
	w := f.Workloads[0]
	if w.Subject() != "TaskDefinition/aws_ecs_task_definition.web" || len(w.Containers) != 1 ||
		w.Containers[0].Image.Ref != "nginx:1.27" || w.Containers[0].Privileged == nil || w.Containers[0].Location.Line != 2 {
		t.Errorf("workload %s: %+v", w.Subject(), w.Containers)
	}
	f = Load("plan.json", []byte(plan(`{"container_definitions": true}`)))
	if len(f.Workloads) != 0 {
		t.Errorf("sensitive container_definitions loaded: %+v", f.Workloads[0].Containers)
	}
	for _, p := range f.Problems {
		if strings.Contains(p.Err.Error(), "nginx") {
			t.Errorf("problem shows the sensitive value: %v", p.Err)
		}
	}
}
