package report

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/immutcheck/immutcheck/internal/kubetest"
)

// TestE2EPolicyReportApply pipes --format policyreport output into
// `kubectl apply -f -` on the shared control plane, with the wgpolicyk8s.io
// CRDs installed, and reads the objects back: the API server must accept
// every document (names, namespaces, enums, types) and keep every field
// (a structural schema silently prunes fields it does not know).
func TestE2EPolicyReportApply(t *testing.T) {
	c := kubetest.Env(t)
	kubectl := filepath.Join(c.Bin, "kubectl")
	if _, err := os.Stat(kubectl); err != nil {
		t.Fatalf("kubectl of the control plane: %v", err)
	}
	run := func(stdin []byte, args ...string) []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, kubectl, append([]string{"--kubeconfig", c.Kubeconfig}, args...)...)
		cmd.Stdin = bytes.NewReader(stdin)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("kubectl %v: %v\n%s", args, err, stderr.Bytes())
		}
		return out
	}
	installCRDs(t, run)
	shop, payments := c.Namespace(t, "polr"), c.Namespace(t, "polr")

	r := liveFixtureReport()
	for i, f := range r.Findings {
		if f.Object == nil || f.Object.Namespace == "" {
			continue
		}
		o := *f.Object
		o.Namespace = map[string]string{"shop": shop, "payments": payments}[o.Namespace]
		r.Findings[i].Object = &o
	}
	var out bytes.Buffer
	if err := Write(&out, PolicyReport, r, Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = exec.Command(kubectl, "--kubeconfig", c.Kubeconfig, "delete", "clusterpolicyreport", "immutcheck", "--ignore-not-found").Run()
	})
	run(out.Bytes(), "apply", "-f", "-")

	want := decodeDocs(t, out.Bytes())
	if len(want) != 3 {
		t.Fatalf("%d documents, want the cluster report and two namespaces'", len(want))
	}
	for _, doc := range want {
		meta := doc["metadata"].(map[string]any)
		args := []string{"get", "-o", "json", doc["kind"].(string), meta["name"].(string)}
		if ns, ok := meta["namespace"].(string); ok {
			args = append(args, "-n", ns)
		}
		var got map[string]any
		if err := yaml.Unmarshal(run(nil, args...), &got); err != nil {
			t.Fatal(err)
		}
		// The server adds uid, resourceVersion and the like; compare what
		// we wrote.
		gotMeta := got["metadata"].(map[string]any)
		for k := range gotMeta {
			if _, ok := meta[k]; !ok {
				delete(gotMeta, k)
			}
		}
		if diff := cmp.Diff(doc, got); diff != "" {
			t.Errorf("%s %s as stored differs from what was applied (-applied +stored):\n%s", doc["kind"], meta["name"], diff)
		}
	}
}

// installCRDs installs the PolicyReport CRDs unless the cluster has them,
// waits until they are served, and removes them at the end if it installed
// them.
func installCRDs(t *testing.T, run func([]byte, ...string) []byte) {
	t.Helper()
	crds, err := os.ReadFile(filepath.Join("testdata", "policyreport-crds.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(run(nil, "get", "crd", "--ignore-not-found", "-o", "name", "policyreports.wgpolicyk8s.io")) == 0 {
		run(crds, "apply", "-f", "-")
		t.Cleanup(func() {
			run(crds, "delete", "--ignore-not-found", "-f", "-")
		})
	}
	run(nil, "wait", "--for", "condition=established", "--timeout", "60s",
		"crd/policyreports.wgpolicyk8s.io", "crd/clusterpolicyreports.wgpolicyk8s.io")
}

// decodeDocs decodes each document of a YAML stream into a generic map, as
// JSON would hold it, after checking them as decodePolicyReports does.
func decodeDocs(t *testing.T, stream []byte) []map[string]any {
	t.Helper()
	decodePolicyReports(t, stream)
	var docs []map[string]any
	for _, part := range splitYAML(t, stream) {
		var m map[string]any
		if err := yaml.Unmarshal(part, &m); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, m)
	}
	return docs
}
