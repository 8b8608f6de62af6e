package ecs

import (
	"github.com/immutcheck/immutcheck/load/internal/jsontree"
	"github.com/immutcheck/immutcheck/model"
)

// service decodes a service definition: its rollback setting.
func (d *decoder) service(s *jsontree.Node) {
	name, _ := s.Get("serviceName").Str()
	w := &model.Workload{Source: Format, Kind: "Service", Name: name, Location: d.loc(s), Controlled: true}
	if ctl, _ := s.Get("deploymentController").Get("type").Str(); ctl != "" && ctl != "ECS" {
		// CODE_DEPLOY and EXTERNAL deployments roll back outside ECS.
		d.f.Workloads = append(d.f.Workloads, w)
		return
	}
	rb := &model.Rollback{Mechanism: "deploymentCircuitBreaker.rollback", Location: d.loc(s)}
	dc := s.Get("deploymentConfiguration")
	if dc != nil {
		rb.Location = d.loc(dc)
	}
	if cb := dc.Get("deploymentCircuitBreaker"); cb != nil {
		rb.Location = d.loc(cb)
		enable := d.boolSetting(cb.Get("enable"), w.Subject(), "deploymentCircuitBreaker.enable")
		rollback := d.boolSetting(cb.Get("rollback"), w.Subject(), "deploymentCircuitBreaker.rollback")
		if rollback != nil {
			rb.Location = rollback.Location
		}
		rb.Automatic = enable != nil && enable.Value && rollback != nil && rollback.Value
	}
	w.Rollback = rb
	d.f.Workloads = append(d.f.Workloads, w)
}
