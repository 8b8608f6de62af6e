package kube

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"

	"github.com/immutcheck/immutcheck/model"
)

// TestFromObjectMatchesLoad holds the live path to the file path: every
// workload of the test manifests, decoded into typed objects the way a
// client of the API server decodes them, maps to the workload Load gives,
// locations aside.
func TestFromObjectMatchesLoad(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"kinds.yaml", "deployment.yaml", "ignore.yaml"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join("testdata", name)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var want, got []*model.Workload
			loc := model.Location{File: "cluster/x"}
			err = split(data, DefaultMaxObjectBytes, DefaultMaxDocuments, func(d document) {
				j, err := yaml.YAMLToJSON(d.data)
				if err != nil || string(j) == "null" {
					return
				}
				obj, gvk, err := scheme.Codecs.UniversalDeserializer().Decode(j, nil, nil)
				if err != nil || gvk.Version != "v1" {
					return // no Go type the API server serves (Rollout, old versions)
				}
				if w := FromObject(obj, loc); w != nil {
					got = append(got, w)
				}
				want = append(want, Load(path, d.data, Options{}).Workloads...)
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 {
				t.Fatal("no workloads in the test file")
			}
			if d := cmp.Diff(want, got, cmpopts.IgnoreTypes(model.Location{}), cmp.Comparer(sameError)); d != "" {
				t.Errorf("FromObject differs from Load (-load +live):\n%s", d)
			}
			for _, w := range got {
				if w.Location != loc {
					t.Errorf("%s: location %v, want %v", w.Subject(), w.Location, loc)
				}
			}
		})
	}
}

func TestFromObjectOtherTypes(t *testing.T) {
	t.Parallel()
	obj, _, err := scheme.Codecs.UniversalDeserializer().Decode([]byte(`{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"}}`), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if w := FromObject(obj, model.Location{}); w != nil {
		t.Errorf("FromObject(Service) = %+v, want nil", w)
	}
}

// sameError compares errors by message: both paths build them alike.
func sameError(a, b error) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Error() == b.Error()
}
