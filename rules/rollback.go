package rules

// NoRevisionHistory: no old revision is kept to roll back to.
var NoRevisionHistory = &Rule{
	ID:          "no-revision-history",
	Group:       Rollback,
	Severity:    Medium,
	Title:       "No revision history is kept",
	Rationale:   "With revisionHistoryLimit 0 the previous ReplicaSet or ControllerRevision is deleted at once, so `kubectl rollout undo` has nothing to return to.",
	Remediation: "Keep at least a few revisions (revisionHistoryLimit: 3 or more, or leave the default of 10).",
	Principle:   principleRollback,
	Check: func(p *Pass) {
		for _, w := range p.File.Workloads {
			if r := w.RevisionHistoryLimit; r != nil && r.Value == 0 {
				p.Workloadf(w, r.Location, "revisionHistoryLimit is 0: no previous revision is kept to roll back to")
			}
		}
	},
}

// NoAutomaticRollback: a failed deployment is not rolled back by itself.
var NoAutomaticRollback = &Rule{
	ID:          "no-automatic-rollback",
	Group:       Rollback,
	Severity:    Medium,
	Title:       "Failed deployments are not rolled back automatically",
	Rationale:   "Replacing instances is only safe when a bad version is taken back without waiting for a human: without an ECS circuit breaker with rollback, Nomad auto_revert or an Argo Rollouts analysis, a failing release keeps replacing healthy instances or stalls half rolled out.",
	Remediation: "Enable automatic rollback: ECS deploymentCircuitBreaker {enable: true, rollback: true}, Nomad update { auto_revert = true }, an Argo Rollouts analysis on each step.",
	Principle:   principleRollback,
	Check: func(p *Pass) {
		for _, w := range p.File.Workloads {
			if rb := w.Rollback; rb != nil && !rb.Automatic {
				p.Workloadf(w, rb.Location, "%s is not enabled: a failed deployment is not rolled back automatically", rb.Mechanism)
			}
		}
	},
}
