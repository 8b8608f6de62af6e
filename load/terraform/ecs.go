package terraform

import (
	"github.com/immutcheck/immutcheck/load/ecs"
	"github.com/immutcheck/immutcheck/load/internal/tfres"
	"github.com/immutcheck/immutcheck/model"
)

// ecsTaskDefinition adds the containers of a planned aws_ecs_task_definition
// as a workload, so that the container rules judge them as they judge an
// ECS task definition file; an aws_ecs_service becomes a workload with its
// rollback setting. container_definitions is a JSON string with the
// ECS API's field names; a sensitive value is not in after and is skipped.
func ecsTaskDefinition(f *model.File, typ, address string, after *tfres.Obj, loc model.Location) {
	if w := tfres.ECSService(Format, typ, address, after); w != nil {
		f.Workloads = append(f.Workloads, w)
		return
	}
	if typ != "aws_ecs_task_definition" {
		return
	}
	defs, ok := after.Str("container_definitions")
	if !ok || defs == "" {
		return
	}
	w := &model.Workload{Source: ecs.Format, Kind: "TaskDefinition", Name: address, Location: loc, Controlled: true}
	f.Problems = append(f.Problems, ecs.DecodeContainerDefinitions(w, f.Path, loc.Line, []byte(defs))...)
	f.Workloads = append(f.Workloads, w)
}
