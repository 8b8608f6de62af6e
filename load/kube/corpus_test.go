package kube

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/immutcheck/immutcheck/internal/corpus"
	"github.com/immutcheck/immutcheck/model"
)

func corpusFiles(t testing.TB) []string {
	t.Helper()
	dir := corpus.Dir(t, "k8s")
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// TestCorpus loads every manifest of the corpus. Each file named below is
// rejected for a reason the API server (or kubectl) shares; any other
// rejection is a regression.
func TestCorpus(t *testing.T) {
	t.Parallel()
	files := corpusFiles(t)
	if len(files) < 500 {
		t.Fatalf("only %d corpus files", len(files))
	}
	rejected := map[string]string{}
	var workloads, containers, unknown int
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f := Load(p, data, Options{})
		workloads += len(f.Workloads)
		for _, w := range f.Workloads {
			containers += len(w.Containers)
			if w.Location.Line == 0 {
				t.Errorf("%s: %s has no location", p, w.Subject())
			}
			for _, c := range w.Containers {
				if c.Image.Location.Line == 0 {
					t.Errorf("%s: %s has no image location", p, c.Subject(w))
				}
			}
		}
		for _, pr := range f.Problems {
			switch pr.Kind {
			case model.Rejected:
				if _, ok := rejected[filepath.Base(p)]; !ok {
					rejected[filepath.Base(p)] = pr.Location.String() + ": " + pr.Err.Error()
				}
			case model.UnknownField:
				unknown++
			}
			if pr.Location.Line == 0 {
				t.Errorf("%s: problem without line: %v", p, pr.Err)
			}
		}
	}
	got := make([]string, 0, len(rejected))
	for name := range rejected {
		got = append(got, name)
	}
	sort.Strings(got)
	if diff := cmp.Diff(expectedRejected, got); diff != "" {
		for _, name := range got {
			t.Logf("%s", rejected[name])
		}
		t.Errorf("rejected corpus files (-want +got):\n%s", diff)
	}
	t.Logf("%d files, %d workloads, %d containers, %d unknown fields, %d rejected", len(files), workloads, containers, unknown, len(got))
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
