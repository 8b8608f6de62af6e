package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"slices"
	"strings"

	goyaml "go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/immutcheck/immutcheck/rules"
)

// PolicyReport output follows the wgpolicyk8s.io/v1alpha2 CRDs of the
// Kubernetes Policy working group (kubernetes-sigs/wg-policy-prototypes,
// policy-report/crd/v1alpha2), which Kyverno, Kubescape and Falco write
// too. The types below hold exactly the fields we fill; the CRD module is
// not imported for a dozen fields.
//
// The YAML is written with go.yaml.in/yaml/v3, whose emitter escapes
// control and other non-printable characters in double-quoted scalars
// ("\x1B"), so an attacker-controlled message cannot break the document;
// bytes that are not UTF-8 become U+FFFD first, as in JSON output (the
// emitter would otherwise write them as !!binary).
const (
	policyReportAPIVersion = "wgpolicyk8s.io/v1alpha2"
	// policyReportName names the ClusterPolicyReport, and prefixes the
	// name of each namespace's PolicyReport.
	policyReportName = "immutcheck"
	// managedByLabel marks our reports, e.g. for
	// `kubectl delete polr,cpolr -A -l app.kubernetes.io/managed-by=immutcheck`.
	managedByLabel = "app.kubernetes.io/managed-by"
)

type policyReport struct {
	APIVersion string     `yaml:"apiVersion"`
	Kind       string     `yaml:"kind"`
	Metadata   prMetadata `yaml:"metadata"`
	Summary    prSummary  `yaml:"summary"`
	Results    []prResult `yaml:"results"`
	namespace  string     // for sorting; "" for the cluster report
}

type prMetadata struct {
	Name      string            `yaml:"name"`
	Namespace string            `yaml:"namespace,omitempty"`
	Labels    map[string]string `yaml:"labels"`
}

// prSummary counts results per outcome; every count is always present.
type prSummary struct {
	Pass  int `yaml:"pass"`
	Fail  int `yaml:"fail"`
	Warn  int `yaml:"warn"`
	Error int `yaml:"error"`
	Skip  int `yaml:"skip"`
}

type prResult struct {
	Policy     string            `yaml:"policy"`
	Rule       string            `yaml:"rule"`
	Category   string            `yaml:"category"`
	Severity   string            `yaml:"severity"`
	Result     string            `yaml:"result"`
	Message    string            `yaml:"message"`
	Scored     bool              `yaml:"scored"`
	Source     string            `yaml:"source"`
	Timestamp  *prTimestamp      `yaml:"timestamp,omitempty"`
	Resources  []prObjectRef     `yaml:"resources,omitempty"`
	Properties map[string]string `yaml:"properties,omitempty"`
}

// prTimestamp is a protobuf Timestamp, as metav1.Timestamp encodes it.
type prTimestamp struct {
	Seconds int64 `yaml:"seconds"`
	Nanos   int32 `yaml:"nanos"`
}

// prObjectRef is the subset of core/v1 ObjectReference a finding knows.
type prObjectRef struct {
	APIVersion string `yaml:"apiVersion,omitempty"`
	Kind       string `yaml:"kind"`
	Namespace  string `yaml:"namespace,omitempty"`
	Name       string `yaml:"name"`
	UID        string `yaml:"uid,omitempty"`
}

// writePolicyReport writes one PolicyReport per namespace that has findings
// and one ClusterPolicyReport, always present, for findings on
// cluster-scoped objects and findings that are not about a Kubernetes
// object (a file that could not be read, a Dockerfile). The documents form
// one YAML stream that `kubectl apply -f -` accepts.
func writePolicyReport(w io.Writer, r *Report) error {
	cluster := newPolicyReport("ClusterPolicyReport", "")
	byNS := map[string]*policyReport{}
	var ts *prTimestamp
	if !r.Time.IsZero() {
		ts = &prTimestamp{Seconds: r.Time.Unix(), Nanos: int32(r.Time.Nanosecond())}
	}
	for _, f := range r.Findings {
		res := toPolicyResult(f, r.FailOn, ts)
		ns := ""
		if f.Object != nil {
			ns = f.Object.Namespace
		}
		pr := cluster
		// A namespace that is not a valid name (a static manifest may say
		// anything) cannot hold a report: its findings go to the cluster
		// report, which still names the object.
		if ns != "" && len(validation.IsDNS1123Label(ns)) == 0 {
			if pr = byNS[ns]; pr == nil {
				pr = newPolicyReport("PolicyReport", ns)
				byNS[ns] = pr
			}
		}
		pr.add(res)
	}
	reports := []*policyReport{cluster}
	for _, pr := range byNS {
		reports = append(reports, pr)
	}
	slices.SortFunc(reports[1:], func(a, b *policyReport) int {
		return strings.Compare(a.namespace, b.namespace)
	})
	var b bytes.Buffer
	for _, pr := range reports {
		b.WriteString("---\n")
		enc := goyaml.NewEncoder(&b)
		enc.SetIndent(2)
		if err := enc.Encode(pr); err != nil {
			return err
		}
		if err := enc.Close(); err != nil {
			return err
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

func newPolicyReport(kind, namespace string) *policyReport {
	pr := &policyReport{
		APIVersion: policyReportAPIVersion,
		Kind:       kind,
		Metadata: prMetadata{
			Name:   policyReportName,
			Labels: map[string]string{managedByLabel: policyReportName},
		},
		Results:   []prResult{},
		namespace: namespace,
	}
	if namespace != "" {
		pr.Metadata.Name = reportName(namespace)
		pr.Metadata.Namespace = namespace
	}
	return pr
}

// add appends res and counts it in the summary.
func (pr *policyReport) add(res prResult) {
	pr.Results = append(pr.Results, res)
	switch res.Result {
	case "fail":
		pr.Summary.Fail++
	case "warn":
		pr.Summary.Warn++
	case "skip":
		pr.Summary.Skip++
	}
}

// toPolicyResult maps a finding to a result: "skip" when suppressed (the
// justification is in the properties), "fail" at or above the fail-on
// threshold, "warn" below it. Only "fail" is scored.
func toPolicyResult(f rules.Finding, failOn rules.Severity, ts *prTimestamp) prResult {
	res := prResult{
		Policy:     policyReportName,
		Rule:       f.Rule.ID,
		Category:   string(f.Rule.Group),
		Severity:   f.Severity.String(),
		Message:    utf8Safe(f.Message),
		Source:     policyReportName,
		Timestamp:  ts,
		Properties: map[string]string{},
	}
	switch {
	case f.Suppressed:
		res.Result = "skip"
		res.Properties["justification"] = utf8Safe(f.Justification)
	case f.Severity >= failOn:
		res.Result, res.Scored = "fail", true
	default:
		res.Result = "warn"
	}
	if s := subject(f); s != "" {
		res.Properties["subject"] = utf8Safe(s)
	}
	if l := location(f); l.File != "" {
		res.Properties["location"] = utf8Safe(l.String())
	}
	if o := f.Object; o != nil {
		res.Resources = []prObjectRef{{APIVersion: utf8Safe(o.APIVersion), Kind: utf8Safe(o.Kind),
			Namespace: utf8Safe(o.Namespace), Name: utf8Safe(o.Name), UID: utf8Safe(o.UID)}}
	}
	return res
}

// reportName returns the name of a namespace's report, "immutcheck-NS",
// kept within 63 characters (a valid DNS-1123 label, so also a valid
// object name) by shortening NS and adding a hash of it when too long.
func reportName(ns string) string {
	const maxLen = validation.DNS1123LabelMaxLength
	name := policyReportName + "-" + ns
	if len(name) <= maxLen {
		return name
	}
	sum := sha256.Sum256([]byte(ns))
	h := hex.EncodeToString(sum[:4])
	return name[:maxLen-len(h)-1] + "-" + h
}

// utf8Safe replaces bytes that are not UTF-8 with U+FFFD.
func utf8Safe(s string) string {
	return strings.ToValidUTF8(s, "\uFFFD")
}
