package kube

import (
	"strings"

	"github.com/immutcheck/immutcheck/model"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// GitOps objects (Argo CD, Flux) are not workloads: they become
// model.Reconcilers that record how the controller keeps the cluster equal
// to Git. Their Go types live in large modules of their own, so the few
// fields read here are declared locally, following the CRDs:
// argoproj.io/v1alpha1 Application and ApplicationSet,
// kustomize.toolkit.fluxcd.io Kustomization and helm.toolkit.fluxcd.io
// HelmRelease (every served version: the fields read are the same).
var (
	applicationKind    = &kind{"argoproj.io", "v1alpha1", loadApplication}
	applicationSetKind = &kind{"argoproj.io", "v1alpha1", loadApplicationSet}
	fluxKustomizeKind  = &kind{"kustomize.toolkit.fluxcd.io", "", loadFluxKustomization}
	helmReleaseKind    = &kind{"helm.toolkit.fluxcd.io", "", loadHelmRelease}
)

// gitopsKind returns the kind of a GitOps object, or nil.
func gitopsKind(group, name string) *kind {
	switch {
	case group == "argoproj.io" && name == "Application":
		return applicationKind
	case group == "argoproj.io" && name == "ApplicationSet":
		return applicationSetKind
	case group == "kustomize.toolkit.fluxcd.io" && name == "Kustomization":
		return fluxKustomizeKind
	case group == "helm.toolkit.fluxcd.io" && name == "HelmRelease":
		return helmReleaseKind
	}
	return nil
}

// syncPolicy is an Argo CD Application's spec.syncPolicy.
type syncPolicy struct {
	Automated *struct {
		// Enabled (Argo CD 3.x) turns automated sync off when false.
		Enabled  *bool `json:"enabled"`
		SelfHeal *bool `json:"selfHeal"`
	} `json:"automated"`
}

func loadApplication(o *obj, j []byte) {
	var app struct {
		Metadata metav1.ObjectMeta `json:"metadata"`
		Spec     struct {
			SyncPolicy syncPolicy `json:"syncPolicy"`
		} `json:"spec"`
	}
	if !o.decode(j, &app, "", false) {
		return
	}
	root := o.locate()
	o.reconciler("argocd", &app.Metadata, root, func(r *model.Reconciler) {
		argoSync(r, &app.Spec.SyncPolicy, root.get("spec").get("syncPolicy"))
	})
}

// loadApplicationSet reads the syncPolicy of the Applications an
// ApplicationSet generates (spec.template.spec). A templatePatch (a Go
// template applied to each Application) may set it instead; it cannot be
// evaluated statically, so such an ApplicationSet is left out rather than
// misjudged.
func loadApplicationSet(o *obj, j []byte) {
	var set struct {
		Metadata metav1.ObjectMeta `json:"metadata"`
		Spec     struct {
			TemplatePatch *string `json:"templatePatch"`
			Template      struct {
				Spec struct {
					SyncPolicy syncPolicy `json:"syncPolicy"`
				} `json:"spec"`
			} `json:"template"`
		} `json:"spec"`
	}
	if !o.decode(j, &set, "", false) {
		return
	}
	if p := set.Spec.TemplatePatch; p != nil && strings.Contains(*p, "syncPolicy") {
		return
	}
	root := o.locate()
	o.reconciler("argocd", &set.Metadata, root, func(r *model.Reconciler) {
		argoSync(r, &set.Spec.Template.Spec.SyncPolicy, root.get("spec").get("template").get("spec").get("syncPolicy"))
	})
}

func argoSync(r *model.Reconciler, sp *syncPolicy, p pos) {
	a := sp.Automated
	if a == nil {
		return
	}
	ap := p.get("automated")
	r.AutoSync = &model.BoolSetting{Value: a.Enabled == nil || *a.Enabled, Location: ap.keyLoc()}
	if a.Enabled != nil && !*a.Enabled {
		r.AutoSync.Location = ap.get("enabled").loc()
	}
	if a.SelfHeal != nil {
		r.SelfHeal = &model.BoolSetting{Value: *a.SelfHeal, Location: ap.get("selfHeal").loc()}
	}
}

// fluxSpec holds the Flux fields read from Kustomizations and HelmReleases.
type fluxSpec struct {
	Metadata metav1.ObjectMeta `json:"metadata"`
	Spec     struct {
		Suspend        *bool `json:"suspend"`
		DriftDetection *struct {
			Mode *string `json:"mode"`
		} `json:"driftDetection"`
	} `json:"spec"`
}

func loadFluxKustomization(o *obj, j []byte) { loadFlux(o, j) }
func loadHelmRelease(o *obj, j []byte)       { loadFlux(o, j) }

func loadFlux(o *obj, j []byte) {
	var fs fluxSpec
	if !o.decode(j, &fs, "", false) {
		return
	}
	root := o.locate()
	spec := root.get("spec")
	o.reconciler("flux", &fs.Metadata, root, func(r *model.Reconciler) {
		if s := fs.Spec.Suspend; s != nil {
			r.Suspended = &model.BoolSetting{Value: *s, Location: spec.get("suspend").loc()}
		}
		if d := fs.Spec.DriftDetection; d != nil {
			mode := "disabled" // the CRD's default when mode is left out
			if d.Mode != nil {
				mode = *d.Mode
			}
			r.DriftDetection = &model.Setting{Value: mode, Location: spec.get("driftDetection").get("mode").loc()}
		}
	})
}

// reconciler appends a reconciler for the object, filled in by fill.
func (o *obj) reconciler(source string, meta *metav1.ObjectMeta, root pos, fill func(*model.Reconciler)) {
	name := meta.Name
	if name == "" {
		name = meta.GenerateName
	}
	r := &model.Reconciler{Source: source, Kind: o.head.Kind, Namespace: meta.Namespace, Name: name, Location: root.loc()}
	r.Ignores = ignores(meta, root.get("metadata"))
	fill(r)
	o.d.f.Reconcilers = append(o.d.f.Reconcilers, r)
}

// rolloutStrategy is the part of an Argo Rollouts strategy that decides
// whether a failing rollout is aborted, and so rolled back, by itself.
type rolloutStrategy struct {
	ProgressDeadlineAbort *bool `json:"progressDeadlineAbort"`
	Strategy              struct {
		Canary *struct {
			Analysis *struct{} `json:"analysis"`
			Steps    []struct {
				Analysis *struct{} `json:"analysis"`
			} `json:"steps"`
		} `json:"canary"`
		BlueGreen *struct {
			PrePromotionAnalysis  *struct{} `json:"prePromotionAnalysis"`
			PostPromotionAnalysis *struct{} `json:"postPromotionAnalysis"`
		} `json:"blueGreen"`
	} `json:"strategy"`
}

// rolloutRollback sets the rollback of the Rollout's workload, the last one
// appended: automatic when an analysis can abort the rollout or
// progressDeadlineAbort is true.
func rolloutRollback(o *obj, j []byte) {
	var r struct {
		Spec rolloutStrategy `json:"spec"`
	}
	ws := o.d.f.Workloads
	if len(ws) == 0 || !o.decode(j, &r, "", false) {
		return
	}
	s := r.Spec
	auto := s.ProgressDeadlineAbort != nil && *s.ProgressDeadlineAbort
	if c := s.Strategy.Canary; c != nil {
		auto = auto || c.Analysis != nil
		for _, st := range c.Steps {
			auto = auto || st.Analysis != nil
		}
	}
	if b := s.Strategy.BlueGreen; b != nil {
		auto = auto || b.PrePromotionAnalysis != nil || b.PostPromotionAnalysis != nil
	}
	ws[len(ws)-1].Rollback = &model.Rollback{
		Mechanism: "analysis (or progressDeadlineAbort)",
		Automatic: auto,
		Location:  o.locate().get("spec").get("strategy").keyLoc(),
	}
}

// rolloutRef adds a Rollout that takes its pod template from another
// workload (spec.workloadRef) as a workload without containers, so that its
// rollback setting is judged.
func rolloutRef(o *obj, meta *metav1.ObjectMeta, j []byte) {
	root := o.locate()
	name := meta.Name
	if name == "" {
		name = meta.GenerateName
	}
	w := &model.Workload{Source: "kubernetes", Kind: o.head.Kind, Namespace: meta.Namespace, Name: name, Location: root.loc(), Controlled: true}
	w.Ignores = ignores(meta, root.get("metadata"))
	o.d.f.Workloads = append(o.d.f.Workloads, w)
	rolloutRollback(o, j)
}
