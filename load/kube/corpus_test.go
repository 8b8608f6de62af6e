package kube

import (
	"testing"

	"github.com/immutcheck/immutcheck/internal/corpus"
	"github.com/immutcheck/immutcheck/load/internal/loadtest"
	"github.com/immutcheck/immutcheck/model"
)

// corpusFiles returns the manifests of the corpus, sorted.
func corpusFiles(t testing.TB) []string {
	t.Helper()
	return corpus.Files(t, "k8s")
}

// TestCorpus loads every manifest of the corpus. Each file named below is
// rejected for a reason the API server (or kubectl) shares; any other
// rejection is a regression.
func TestCorpus(t *testing.T) {
	t.Parallel()
	load := func(path string, data []byte) *model.File { return Load(path, data, Options{}) }
	files := loadtest.Corpus{Dir: "k8s", AtLeast: 500, Load: load, Rejected: expectedRejected}.Run(t)
	var workloads, containers, unknown int
	for _, f := range files {
		workloads += len(f.Workloads)
		for _, w := range f.Workloads {
			containers += len(w.Containers)
			if w.Location.Line == 0 {
				t.Errorf("%s: %s has no location", f.Path, w.Subject())
			}
			for _, c := range w.Containers {
				if c.Image.Location.Line == 0 {
					t.Errorf("%s: %s has no image location", f.Path, c.Subject(w))
				}
			}
		}
		for _, pr := range f.Problems {
			if pr.Kind == model.UnknownField {
				unknown++
			}
		}
	}
	t.Logf("%d files loaded, %d workloads, %d containers, %d unknown fields", len(files), workloads, containers, unknown)
	// The corpus holds 12 misspelt or misplaced fields (such as
	// kube-linter's spec.invalidField); all are reported and located.
	if unknown != 12 {
		t.Errorf("got %d unknown fields, want 12", unknown)
	}
	if workloads < 500 || containers < workloads {
		t.Errorf("got %d workloads and %d containers, want > 500 workloads with at least one container each on average", workloads, containers)
	}
}

// expectedRejected lists the corpus files the API server would refuse too;
// the reason is in the comment.
var expectedRejected = []string{
	// No apiVersion: a template with ${APP_NAME} variables.
	"GoogleCloudPlatform__kubernetes-engine-samples__ai-ml__infw-gw__examples__getting-started__inference-pool-variables.yaml",
	// nvidia.com/gpu: ${ACCELERATOR_QUANTITY} is not a quantity.
	"GoogleCloudPlatform__kubernetes-engine-samples__autoscaling__custom-compute-classes__reservations__deployment-gpu.yaml",
	// containerPort: PORT is not an integer.
	"GoogleCloudPlatform__kubernetes-engine-samples__networking__sctp__sctp-deployment.yaml",
	// spec.selector is written twice.
	"kubernetes__examples___archived__openshift-origin__etcd-controller.yaml",
	"kubernetes__examples___archived__openshift-origin__etcd-discovery-controller.yaml",
	"kubernetes__examples___archived__openshift-origin__openshift-controller.yaml",
	// lun: <ADD LUN ID Here> is not an integer.
	"kubernetes__examples___archived__volumes__fibre_channel__fc.yaml",
	// A label value written as the boolean true.
	"stackrox__kube-linter__pkg__templates__kubeconform__testdata__demonset.yaml",
	// A merge key (<<) whose alias names a sequence, which go-yaml v2 (and
	// so kubectl) refuses.
	"stackrox__kube-linter__pkg__templates__sortedkeys__testdata__container-with-merge.yaml",
}
