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

// RollbackImageMissing: a previous image to roll back to is gone or no
// longer passes the signature policy. Live: reported by the registry
// verifier.
var RollbackImageMissing = &Rule{
	ID:          "rollback-image-missing",
	Group:       Rollback,
	Severity:    High,
	Title:       "Previous image to roll back to is missing or unverified",
	Rationale:   "A rollback redeploys the previous image; if the registry no longer serves it, or it no longer passes the signature policy, there is nothing safe to go back to.",
	Remediation: "Keep the previous releases in the registry (exclude them from garbage collection and retention policies) and keep their signatures.",
	Principle:   principleRollback,
}
