package rules

import (
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// NoRevisionHistory: no old revision is kept to roll back to.
var NoRevisionHistory = &Rule{
	ID:          "no-revision-history",
	Group:       Rollback,
	Severity:    Medium,
	Title:       "No revision history is kept",
	Rationale:   "With revisionHistoryLimit 0 the previous ReplicaSet or ControllerRevision is deleted at once, so `kubectl rollout undo` has nothing to return to.",
	Remediation: "Keep at least a few revisions (revisionHistoryLimit: 3 or more, or leave the default of 10).",
	Principle:   principleRollback,
	Reads:       Declarations,
	Check: func(p *Pass) {
		for _, w := range p.File.Workloads {
			if r := w.RevisionHistoryLimit; r != nil && r.Value == 0 {
				p.Workloadf(w, r.Location, "revisionHistoryLimit is 0: no previous revision is kept to roll back to")
			}
		}
	},
}

// DestroyBeforeCreate: an instance is destroyed before its replacement
// exists.
var DestroyBeforeCreate = &Rule{
	ID:          "destroy-before-create",
	Group:       Rollback,
	Severity:    High,
	Title:       "Instance replaced by destroying it first",
	Rationale:   "A replacement planned as delete then create takes the instance down before the new one exists: there is downtime, and if the new instance fails there is nothing left to fall back to.",
	Remediation: "Set lifecycle { create_before_destroy = true } (or run instances in a group that rolls them), so that the new instance is healthy before the old one goes.",
	Principle:   principleRollback,
	Reads:       Declarations,
	Check: func(p *Pass) {
		for _, c := range p.File.Changes {
			if !c.Is(model.ActionDelete, model.ActionCreate) || !instanceLikeChange(c, p.Options.InstanceTypes) {
				continue
			}
			why := ""
			if len(c.ReplaceReasons) > 0 {
				why = " (replacement forced by " + strings.Join(c.ReplaceReasons, ", ") + ")"
			}
			p.Changef(c, "%s (%s) will be destroyed before its replacement is created%s", c.Address, c.Type, why)
		}
	},
}

// NoAutomaticRollback: a failed deployment is not rolled back by itself.
var NoAutomaticRollback = &Rule{
	ID:          "no-automatic-rollback",
	Group:       Rollback,
	Severity:    Medium,
	Title:       "Failed deployments are not rolled back automatically",
	Rationale:   "Replacing instances is only safe when a bad version is taken back without waiting for a human: without an ECS circuit breaker with rollback, Nomad auto_revert, an Argo Rollouts analysis or an Auto Scaling instance refresh with auto_rollback, a failing release keeps replacing healthy instances or stalls half rolled out.",
	Remediation: "Enable automatic rollback: ECS deploymentCircuitBreaker {enable: true, rollback: true}, Nomad update { auto_revert = true }, an Argo Rollouts analysis on each step, instance_refresh { preferences { auto_rollback = true } } for Auto Scaling groups.",
	Principle:   principleRollback,
	Reads:       Declarations,
	Check: func(p *Pass) {
		for _, w := range p.File.Workloads {
			if rb := w.Rollback; rb != nil && !rb.Automatic {
				p.Workloadf(w, rb.Location, "%s is not enabled: a failed deployment is not rolled back automatically", rb.Mechanism)
			}
		}
		for _, r := range p.File.Resources {
			ro := r.Rollout
			if ro == nil || ro.Kind != "instance_refresh" {
				continue
			}
			switch {
			case ro.AutoRollback == nil:
				p.Resourcef(r, ro.Location, "instance_refresh does not set preferences.auto_rollback = true: a failed refresh is not rolled back automatically")
			case !ro.AutoRollback.Value:
				p.Resourcef(r, ro.AutoRollback.Location, "instance_refresh sets auto_rollback = false: a failed refresh is not rolled back automatically")
			}
		}
	},
}

// RollbackImageMissing: a previous image to roll back to is gone or no
// longer passes the signature policy. It judges registry facts
// (image_rollback.go).
var RollbackImageMissing = &Rule{
	ID:          "rollback-image-missing",
	Group:       Rollback,
	Severity:    High,
	Title:       "Previous image to roll back to is missing or unverified",
	Rationale:   "A rollback redeploys the previous image; if the registry no longer serves it, or it no longer passes the signature policy, there is nothing safe to go back to.",
	Remediation: "Keep the previous releases in the registry (exclude them from garbage collection and retention policies) and keep their signatures.",
	Principle:   principleRollback,
	Reads:       Images,
	Check:       checkRollbackImage,
}
