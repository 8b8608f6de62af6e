package report

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/util/validation"
	k8syaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// crdReport mirrors the wgpolicyk8s.io/v1alpha2 PolicyReport and
// ClusterPolicyReport schema (policy-report/crd/v1alpha2 of
// kubernetes-sigs/wg-policy-prototypes), written independently of the
// renderer's types. Decoding is strict, so a field the CRD does not have
// fails the test.
type crdReport struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string            `json:"name"`
		Namespace string            `json:"namespace"`
		Labels    map[string]string `json:"labels"`
	} `json:"metadata"`
	Summary struct {
		Pass, Fail, Warn, Error, Skip int
	} `json:"summary"`
	Results []crdResult `json:"results"`
}

type crdResult struct {
	Source    string `json:"source"`
	Policy    string `json:"policy"`
	Rule      string `json:"rule"`
	Category  string `json:"category"`
	Severity  string `json:"severity"`
	Result    string `json:"result"`
	Scored    bool   `json:"scored"`
	Message   string `json:"message"`
	Timestamp *struct {
		Seconds int64 `json:"seconds"`
		Nanos   int32 `json:"nanos"`
	} `json:"timestamp"`
	Resources []struct {
		APIVersion      string `json:"apiVersion"`
		Kind            string `json:"kind"`
		Namespace       string `json:"namespace"`
		Name            string `json:"name"`
		UID             string `json:"uid"`
		ResourceVersion string `json:"resourceVersion"`
		FieldPath       string `json:"fieldPath"`
	} `json:"resources"`
	Properties map[string]string `json:"properties"`
}

// decodePolicyReports splits out into documents as kubectl does
// (apimachinery's YAML reader) and decodes each strictly, then checks what
// the API server would: the enums, the names, and that the summary counts
// the results.
func decodePolicyReports(t testing.TB, out []byte) []crdReport {
	t.Helper()
	var docs []crdReport
	for _, doc := range splitYAML(t, out) {
		var r crdReport
		if err := yaml.UnmarshalStrict(doc, &r); err != nil {
			t.Fatalf("decode document: %v\n%s", err, doc)
		}
		checkPolicyReport(t, &r)
		docs = append(docs, r)
	}
	return docs
}

// splitYAML returns the non-empty documents of a YAML stream, split as
// kubectl splits them.
func splitYAML(t testing.TB, stream []byte) [][]byte {
	t.Helper()
	rd := k8syaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(stream)))
	var docs [][]byte
	for {
		doc, err := rd.Read()
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("split YAML stream: %v\n%s", err, stream)
		}
		if len(bytes.TrimSpace(doc)) > 0 {
			docs = append(docs, doc)
		}
	}
}

func checkPolicyReport(t testing.TB, r *crdReport) {
	t.Helper()
	if r.APIVersion != "wgpolicyk8s.io/v1alpha2" {
		t.Errorf("apiVersion %q", r.APIVersion)
	}
	switch r.Kind {
	case "PolicyReport":
		if errs := validation.IsDNS1123Label(r.Metadata.Namespace); len(errs) > 0 {
			t.Errorf("namespace %q: %v", r.Metadata.Namespace, errs)
		}
	case "ClusterPolicyReport":
		if r.Metadata.Namespace != "" {
			t.Errorf("cluster report has namespace %q", r.Metadata.Namespace)
		}
	default:
		t.Errorf("kind %q", r.Kind)
	}
	if errs := validation.IsDNS1123Subdomain(r.Metadata.Name); len(errs) > 0 {
		t.Errorf("name %q: %v", r.Metadata.Name, errs)
	}
	counts := map[string]int{}
	for _, res := range r.Results {
		counts[res.Result]++
		if !slices.Contains([]string{"pass", "fail", "warn", "error", "skip"}, res.Result) {
			t.Errorf("result %q", res.Result)
		}
		if !slices.Contains([]string{"critical", "high", "medium", "low", "info"}, res.Severity) {
			t.Errorf("severity %q", res.Severity)
		}
		if res.Policy != "immutcheck" || res.Source != "immutcheck" || res.Rule == "" || res.Category == "" {
			t.Errorf("result %+v lacks policy, source, rule or category", res)
		}
		if ts := res.Timestamp; ts != nil && (ts.Nanos < 0 || ts.Nanos > 999_999_999) {
			t.Errorf("timestamp %+v", *ts)
		}
		if res.Result == "skip" && res.Properties["justification"] == "" {
			t.Errorf("skipped result %q without justification", res.Rule)
		}
	}
	s := r.Summary
	got := map[string]int{"pass": s.Pass, "fail": s.Fail, "warn": s.Warn, "error": s.Error, "skip": s.Skip}
	for k, n := range got {
		if counts[k] != n {
			t.Errorf("%s %s: summary %s=%d, results %d", r.Kind, r.Metadata.Name, k, n, counts[k])
		}
	}
}

func writePolicyReports(t *testing.T, r *Report) []crdReport {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, PolicyReport, r, Options{}); err != nil {
		t.Fatal(err)
	}
	return decodePolicyReports(t, b.Bytes())
}

func TestPolicyReportParsesBack(t *testing.T) {
	t.Parallel()
	docs := writePolicyReports(t, liveFixtureReport())
	type where struct{ Kind, Name, Namespace, Rule, Result string }
	var got []where
	for _, d := range docs {
		for _, res := range d.Results {
			got = append(got, where{d.Kind, d.Metadata.Name, d.Metadata.Namespace, res.Rule, res.Result})
		}
	}
	want := []where{
		{"ClusterPolicyReport", "immutcheck", "", "image-not-pinned", "fail"},
		{"ClusterPolicyReport", "immutcheck", "", "load-error", "fail"},
		{"ClusterPolicyReport", "immutcheck", "", "node-image-skew", "warn"},
		{"ClusterPolicyReport", "immutcheck", "", "ssh-access", "fail"},
		{"PolicyReport", "immutcheck-payments", "payments", "exec-session", "warn"},
		{"PolicyReport", "immutcheck-shop", "shop", "image-not-pinned", "fail"},
		{"PolicyReport", "immutcheck-shop", "shop", "writable-root-filesystem", "skip"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	exec := docs[1].Results[0]
	if exec.Properties["location"] != "/var/log/kube-audit.log:9" || exec.Resources[0].Name != "ledger-0" ||
		exec.Timestamp == nil || exec.Timestamp.Seconds != liveFixtureReport().Time.Unix() {
		t.Errorf("exec-session result %+v", exec)
	}
}

// TestPolicyReportHostile puts hostile strings everywhere, including the
// namespace, and checks that the stream still parses and that every string
// survives (up to invalid UTF-8, which becomes U+FFFD).
func TestPolicyReportHostile(t *testing.T) {
	t.Parallel()
	r := hostileReport()
	for i := range r.Findings {
		h := r.Findings[i].Subject
		r.Findings[i].Object = &model.ObjectRef{APIVersion: h, Kind: h, Namespace: h, Name: h, UID: h}
	}
	docs := writePolicyReports(t, r)
	if len(docs) != 1 {
		t.Fatalf("%d documents, want only the cluster report (no hostile string is a namespace name)", len(docs))
	}
	res := docs[0].Results
	if len(res) != len(r.Findings) {
		t.Fatalf("%d results, want %d", len(res), len(r.Findings))
	}
	for i, f := range r.Findings {
		want := strings.ToValidUTF8(f.Message, "\uFFFD")
		wantSubject := want
		if f.Subject == f.Location.File {
			wantSubject = "" // the location says it already
		}
		if res[i].Message != want || res[i].Resources[0].Namespace != want || res[i].Properties["subject"] != wantSubject {
			t.Errorf("result %d: message %q, namespace %q, subject %q; want %q",
				i, res[i].Message, res[i].Resources[0].Namespace, res[i].Properties["subject"], want)
		}
	}
}

func TestPolicyReportOutcomes(t *testing.T) {
	t.Parallel()
	// Valid namespace names (up to 63 characters) too long for the prefix.
	long1 := strings.Repeat("a", 55) + "-one"
	long2 := strings.Repeat("a", 55) + "-two"
	tests := []struct {
		name    string
		failOn  rules.Severity
		ns      []string
		results []string // per finding, in report order
		names   []string // of the documents after the cluster report
	}{
		{"fail-on none warns", rules.None, []string{"a", "b"}, []string{"warn", "warn"}, []string{"immutcheck-a", "immutcheck-b"}},
		{"fail-on info fails", rules.Info, []string{"b", "a"}, []string{"fail", "fail"}, []string{"immutcheck-a", "immutcheck-b"}},
		{"invalid namespace", rules.High, []string{"Shop", "x_y"}, []string{"warn", "warn"}, nil},
		{"long namespaces", rules.High, []string{long1, long2}, []string{"warn", "warn"},
			[]string{"immutcheck-" + long1[:43] + "-" + "4356e1fd", "immutcheck-" + long2[:43] + "-" + "aa198309"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &Report{FailOn: tt.failOn}
			for _, ns := range tt.ns {
				r.Findings = append(r.Findings, rules.Finding{Rule: ruleExec, Severity: rules.Low, Subject: "Pod/" + ns + "/p",
					Message: "m", Object: &model.ObjectRef{Kind: "Pod", Namespace: ns, Name: "p"}})
			}
			docs := writePolicyReports(t, r)
			var results, names []string
			for i, d := range docs {
				if i > 0 {
					names = append(names, d.Metadata.Name)
				}
				for _, res := range d.Results {
					results = append(results, res.Result)
					if res.Timestamp != nil {
						t.Errorf("timestamp %+v written for a report without time", *res.Timestamp)
					}
				}
			}
			if diff := cmp.Diff(tt.results, results); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.names, names); diff != "" {
				t.Errorf("report names (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPolicyReportEmpty(t *testing.T) {
	t.Parallel()
	docs := writePolicyReports(t, &Report{FailOn: rules.High})
	if len(docs) != 1 || docs[0].Kind != "ClusterPolicyReport" || len(docs[0].Results) != 0 {
		t.Fatalf("documents %+v, want one empty ClusterPolicyReport (so applying it clears an old one)", docs)
	}
}
