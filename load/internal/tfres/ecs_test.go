package tfres

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/immutcheck/immutcheck/model"
)

func TestECSService(t *testing.T) {
	t.Parallel()
	loc := model.Location{File: "plan.json", Line: 7}
	tests := []struct {
		name, after string
		want        *bool // nil: no workload
	}{
		{"no breaker", `{"name": "web"}`, new(false)},
		{"breaker without rollback", `{"deployment_circuit_breaker": [{"enable": true, "rollback": false}]}`, new(false)},
		{"rollback but disabled", `{"deployment_circuit_breaker": [{"enable": false, "rollback": true}]}`, new(false)},
		{"rollback", `{"deployment_circuit_breaker": [{"enable": true, "rollback": true}], "deployment_controller": [{"type": "ECS"}]}`, new(true)},
		{"code deploy", `{"deployment_controller": [{"type": "CODE_DEPLOY"}]}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var v any
			d := json.NewDecoder(strings.NewReader(tt.after))
			d.UseNumber()
			if err := d.Decode(&v); err != nil {
				t.Fatal(err)
			}
			o, _ := FromJSON(v, nil, loc).(*Obj)
			w := ECSService("terraform", "aws_ecs_service", "aws_ecs_service.web", o)
			switch {
			case tt.want == nil && w != nil:
				t.Errorf("workload %+v, want none", w)
			case tt.want != nil && (w == nil || w.Rollback == nil || w.Rollback.Automatic != *tt.want):
				t.Errorf("workload %+v, want rollback automatic=%v", w, *tt.want)
			}
		})
	}
	if ECSService("terraform", "aws_instance", "aws_instance.web", &Obj{}) != nil {
		t.Error("an instance is not an ECS service")
	}
}
