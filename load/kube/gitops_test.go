package kube

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/internal/corpus"
	"github.com/immutcheck/immutcheck/load/internal/loadtest"
)

func TestGitOpsFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want []string
	}{
		{"bad.yaml", []string{
			"no-continuous-reconciliation:1",  // Application without automated sync
			"no-continuous-reconciliation:25", // selfHeal: false
			"no-continuous-reconciliation:41", // ApplicationSet template without selfHeal
			"no-continuous-reconciliation:51", // Flux Kustomization suspended
			"no-continuous-reconciliation:72", // HelmRelease drift detection warn
			"no-automatic-rollback:80",        // Rollout without analysis
		}},
		{"good.yaml", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			data := loadtest.Read(t, filepath.Join("testdata", "gitops", tt.file))
			loadtest.WantFindings(t, Load(tt.file, data, Options{}), tt.want)
		})
	}
}

func TestGitOpsRejects(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, doc, want string }{
		{"selfHeal not bool", "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec:\n  syncPolicy:\n    automated: {selfHeal: \"yes\"}\n", "selfHeal"},
		{"suspend not bool", "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: a}\nspec: {suspend: 1}\n", "suspend"},
		{"spec not object", "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: a}\nspec: []\n", "spec"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := Load("x.yaml", []byte(tt.doc), Options{})
			rej := loadtest.Rejected(f)
			if len(rej) != 1 || !strings.Contains(rej[0].Err.Error(), tt.want) || len(f.Reconcilers) != 0 {
				t.Fatalf("problems %v, reconcilers %d; want one rejection naming %q", f.Problems, len(f.Reconcilers), tt.want)
			}
		})
	}
}

// TestGitOpsCorpus loads the Argo CD and Flux objects of the corpus (the
// files whose SOURCES.tsv detail is argo:* or flux:*). None is rejected.
// The counts are facts of the corpus: 27 Argo CD objects, of which 9 sync
// automatically with selfHeal (the docs' examples and istio's samples) and
// 3 sync automatically without it; 42 Flux Kustomizations, none suspended;
// 7 HelmReleases, none with driftDetection, so every one is reported.
func TestGitOpsCorpus(t *testing.T) {
	t.Parallel()
	dir := corpus.Dir(t, "k8s")
	sources, err := os.ReadFile(filepath.Join(dir, "..", "SOURCES.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var argo, selfHeal, autoOnly, flux, helm, suspended, findings int
	for _, line := range strings.Split(string(sources), "\n") {
		cols := strings.Split(line, "\t")
		if len(cols) < 7 || !strings.HasPrefix(cols[0], "k8s/") || !(strings.HasPrefix(cols[6], "argo:") || strings.HasPrefix(cols[6], "flux:")) {
			continue
		}
		path := filepath.Join(dir, strings.TrimPrefix(cols[0], "k8s/"))
		f := Load(path, loadtest.Read(t, path), Options{})
		if len(f.Problems) > 0 {
			t.Errorf("%s: %v", cols[0], f.Problems)
		}
		for _, r := range f.Reconcilers {
			switch {
			case r.Source == "argocd":
				argo++
				if r.AutoSync != nil && r.SelfHeal != nil && r.SelfHeal.Value {
					selfHeal++
				} else if r.AutoSync != nil {
					autoOnly++
				}
			case r.Kind == "HelmRelease":
				helm++
			default:
				flux++
			}
			if r.Suspended != nil && r.Suspended.Value {
				suspended++
			}
		}
		for _, fd := range loadtest.Findings(t, f) {
			if strings.HasPrefix(fd, "no-continuous-reconciliation:") {
				findings++
			}
		}
	}
	got := []int{argo, selfHeal, autoOnly, flux, helm, suspended, findings}
	want := []int{27, 9, 3, 42, 7, 0, 27 - 9 + 7}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("argo, selfHeal, autoOnly, flux, helm, suspended, findings (-want +got):\n%s", diff)
	}
}

func FuzzGitOps(f *testing.F) {
	for _, s := range []string{
		"apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\nspec:\n  syncPolicy:\n    automated: {selfHeal: true, enabled: false}\n",
		"apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nspec:\n  templatePatch: 'syncPolicy: {}'\n  template: {spec: {syncPolicy: {automated: &a {}}}}\n",
		"apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec: {suspend: true, driftDetection: {}}\n",
		"apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nspec:\n  progressDeadlineAbort: true\n  strategy: {blueGreen: {prePromotionAnalysis: {}}}\n  template: {spec: {containers: [{name: a, image: b}]}}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = loadtest.Findings(t, Load("fuzz.yaml", data, Options{}))
	})
}
