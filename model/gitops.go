package model

// Reconciler is a GitOps object that keeps a cluster equal to a declared
// source: an Argo CD Application or ApplicationSet template, a Flux
// Kustomization or HelmRelease. Loaders record what is declared; the rules
// decide whether it reconciles continuously.
type Reconciler struct {
	// Source names the tool: "argocd" or "flux".
	Source string
	// Kind, Namespace and Name identify the object.
	Kind      string
	Namespace string
	Name      string
	Location  Location
	// AutoSync is Argo CD's syncPolicy.automated: nil when absent, Value
	// false when automated.enabled is false.
	AutoSync *BoolSetting
	// SelfHeal is Argo CD's syncPolicy.automated.selfHeal; nil when not
	// declared.
	SelfHeal *BoolSetting
	// Suspended is Flux's spec.suspend; nil when not declared.
	Suspended *BoolSetting
	// DriftDetection is a Flux HelmRelease's spec.driftDetection.mode
	// ("enabled", "warn", "disabled"); nil when not declared.
	DriftDetection *Setting
	// Ignores are the suppressions declared on the object.
	Ignores []Ignore
}

// Subject returns the human name of the reconciler, e.g.
// "Application/argocd/guestbook".
func (r *Reconciler) Subject() string {
	if r.Namespace != "" {
		return r.Kind + "/" + r.Namespace + "/" + r.Name
	}
	return r.Kind + "/" + r.Name
}

// Rollback is a workload's declared automatic rollback: an ECS deployment
// circuit breaker, a Nomad update block's auto_revert, an Argo Rollouts
// analysis.
type Rollback struct {
	// Mechanism names the setting, e.g. "deploymentCircuitBreaker.rollback",
	// "update.auto_revert", "analysis".
	Mechanism string
	// Automatic is true when a failed deployment is rolled back without a
	// human.
	Automatic bool
	// Location is where the setting is declared, or where it is missing.
	Location Location
}
