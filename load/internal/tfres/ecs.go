package tfres

import "github.com/immutcheck/immutcheck/model"

// ECSService returns an aws_ecs_service as a workload that carries its
// rollback setting, the deployment_circuit_breaker block, so that
// no-automatic-rollback judges it as it judges ECS service definitions. It
// returns nil for other types and for services whose deployments another
// controller (CODE_DEPLOY, EXTERNAL) rolls out.
func ECSService(source, typ, name string, o *Obj) *model.Workload {
	if typ != "aws_ecs_service" || o == nil {
		return nil
	}
	if dc := o.Block("deployment_controller"); dc != nil {
		if t, _ := dc.Str("type"); t != "" && t != "ECS" {
			return nil
		}
	}
	w := &model.Workload{Source: source, Kind: "Service", Name: name, Location: o.Loc, Controlled: true}
	rb := &model.Rollback{Mechanism: "deployment_circuit_breaker.rollback", Location: o.Loc}
	if cb := o.Block("deployment_circuit_breaker"); cb != nil {
		rb.Location = o.LocOf("deployment_circuit_breaker")
		enable, _ := cb.Bool("enable")
		rollback, ok := cb.Bool("rollback")
		if ok {
			rb.Location = cb.LocOf("rollback").Or(rb.Location)
		}
		rb.Automatic = enable && rollback
	}
	w.Rollback = rb
	return w
}
