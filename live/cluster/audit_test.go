package cluster

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// session is what a test compares of an exec-session finding.
type sessionWant struct {
	Subject string
	Line    int
	Message string
	Object  model.ObjectRef
}

func summarize(t *testing.T, fs []rules.Finding, path string) []sessionWant {
	t.Helper()
	var out []sessionWant
	for _, f := range fs {
		if f.Rule != rules.ExecSession || f.Severity != rules.ExecSession.Severity {
			t.Errorf("finding %v: rule %v severity %v, want exec-session at its own severity", f.Location, f.Rule, f.Severity)
		}
		if f.Location.File != path {
			t.Errorf("finding at %v, want file %s", f.Location, path)
		}
		if f.Object == nil {
			t.Fatalf("finding %v has no object", f.Location)
		}
		out = append(out, sessionWant{f.Subject, f.Location.Line, f.Message, *f.Object})
	}
	return out
}

func pod(ns, name string) model.ObjectRef {
	return model.ObjectRef{APIVersion: "v1", Kind: "Pod", Namespace: ns, Name: name}
}

const webPod = "web-7d9c8b6f5-x2x4z"

// allSessions are the sessions of testdata/audit.log.
var allSessions = []sessionWant{
	{"Pod/shop/" + webPod, 1, `exec by "admin" in container "web": sh -c "apt-get install -y curl" at 2026-11-20T09:14:03Z (response 101)`, pod("shop", webPod)},
	{"Pod/shop/" + webPod, 4, `attach by "alice@example.com" in container "web" at 2026-11-20T10:00:00Z (response 101)`, pod("shop", webPod)},
	{"Pod/shop/" + webPod, 7, `debug container added (patch pods/ephemeralcontainers) by "alice@example.com" at 2026-11-20T10:05:00Z (response 200)`, pod("shop", webPod)},
	{"Pod/payments/ledger-0", 8, `exec by "bob" in container "ledger": cat /etc/shadow at 2026-11-20T11:30:00Z (denied: 403)`, pod("payments", "ledger-0")},
	{"Pod/payments/ledger-0", 9, `exec by "admin" as "system:serviceaccount:payments:ledger" in container "ledger": /bin/sh at 2026-11-20T12:00:00Z (response 101)`, pod("payments", "ledger-0")},
	{"Pod/shop/" + webPod, 12, `debug container added (update pods/ephemeralcontainers) by "admin" at 2026-11-20T13:00:00Z (response 200)`, pod("shop", webPod)},
}

func TestAuditLog(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/audit.log")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name string
		in   []byte
		opts AuditOptions
		want []sessionWant
	}{
		{"all", data, AuditOptions{}, allSessions},
		{"gzip", gz.Bytes(), AuditOptions{}, allSessions},
		{"namespace", data, AuditOptions{Namespace: "payments"}, allSessions[3:5]},
		{"since", data, AuditOptions{Since: at("2026-11-20T10:05:00.2Z")}, allSessions[2:]},
		{"since drops later stages", data, AuditOptions{Since: at("2026-11-20T09:30:00Z"), Namespace: "shop"},
			[]sessionWant{allSessions[1], allSessions[2], allSessions[5]}},
		{"other namespace", data, AuditOptions{Namespace: "kube-system"}, nil},
		{"empty", nil, AuditOptions{}, nil},
		{"blank lines", []byte("\n\n  \r\n"), AuditOptions{}, nil},
		{"exact line limit", data[:bytes.IndexByte(data, '\n')+1],
			AuditOptions{MaxLineBytes: bytes.IndexByte(data, '\n')}, allSessions[:1]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs, err := readAuditFindings(context.Background(), "audit.log", bytes.NewReader(tt.in), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, summarize(t, fs, "audit.log")); diff != "" {
				t.Errorf("sessions (-want +got):\n%s", diff)
			}
		})
	}
}

// event returns one audit event line with the given replacements applied to
// a valid pods/exec event.
func event(repl ...string) string {
	const ev = `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/ns/pods/p/exec?command=id","verb":"create","user":{"username":"admin"},"objectRef":{"resource":"pods","namespace":"ns","name":"p","apiVersion":"v1","subresource":"exec"},"responseStatus":{"code":101},"requestReceivedTimestamp":"2026-11-20T09:00:00.000000Z","stageTimestamp":"2026-11-20T09:00:00.100000Z"}`
	return strings.NewReplacer(repl...).Replace(ev) + "\n"
}

func TestReadAuditLogRejects(t *testing.T) {
	t.Parallel()
	valid := event()
	tests := []struct {
		name string
		in   string
		max  int
		want string // the error starts with it
	}{
		{"huge line", valid + strings.Repeat("x", 5000) + "\n", 4096, "audit.log:2: line longer than 4096 bytes"},
		{"huge last line", valid + "{" + strings.Repeat(" ", 4096), 4096, "audit.log:2: line longer than 4096 bytes"},
		{"binary", valid + "\x00\x01\xfe\xff\x7fELF\n", 0, "audit.log:2: not a JSON object"},
		{"truncated", valid + valid[:len(valid)/2] + "\n", 0, "audit.log:2: parse audit event"},
		{"trailing data", strings.TrimSuffix(valid, "\n") + " {}\n", 0, "audit.log:1: parse audit event"},
		{"not an event", `{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p"}}` + "\n", 0, `audit.log:1: not an audit event: apiVersion "v1", kind "Pod"`},
		{"no type", `{"auditID":"a1"}` + "\n", 0, `audit.log:1: not an audit event: apiVersion "", kind ""`},
		{"old api version", event(`audit.k8s.io/v1"`, `audit.k8s.io/v1beta1"`), 0, `audit.log:1: not an audit event: apiVersion "audit.k8s.io/v1beta1"`},
		{"array", "[]\n", 0, "audit.log:1: not a JSON object"},
		{"legacy text format", `2026-11-20T09:00:00Z AUDIT: id="a1" stage="ResponseComplete"` + "\n", 0, "audit.log:1: not a JSON object"},
		{"wrong field type", event(`"code":101`, `"code":"101"`), 0, "audit.log:1: parse audit event"},
		{"no audit id", event(`"auditID":"a1"`, `"auditID":""`), 0, "audit.log:1: pods/exec event without auditID"},
		{"no pod name", event(`"name":"p",`, ``), 0, "audit.log:1: pods/exec event a1 without pod namespace and name"},
		{"corrupt gzip", "\x1f\x8b\x08\x00garbage", 0, "read audit log audit.log: line 1: gzip: unexpected EOF"},
		{"negative limit", valid, -1, "read audit log audit.log: invalid maximum line length -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs, err := readAuditFindings(context.Background(), "audit.log", strings.NewReader(tt.in), AuditOptions{MaxLineBytes: tt.max})
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error %v, want one starting with %q", err, tt.want)
			}
			if fs != nil {
				t.Errorf("findings %v returned with an error", fs)
			}
		})
	}
}

func TestReadAuditLogTooLongIsTyped(t *testing.T) {
	t.Parallel()
	in := strings.Repeat("y", 300) + "\n"
	_, err := readAuditFindings(context.Background(), "a", strings.NewReader(in), AuditOptions{MaxLineBytes: 100})
	var tl *LineTooLongError
	if !errors.As(err, &tl) || tl.Max != 100 {
		t.Fatalf("error %v, want a LineTooLongError of 100", err)
	}
}

func TestReadAuditLogCanceled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in := strings.Repeat(event(), 5000)
	if _, err := readAuditFindings(ctx, "a", strings.NewReader(in), AuditOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
}

func TestReadAuditLogDeduplicates(t *testing.T) {
	t.Parallel()
	// Two stages of request a1, then request a2 on the same pod.
	in := event(`"ResponseComplete"`, `"ResponseStarted"`) + event() + event(`"a1"`, `"a2"`)
	fs, err := readAuditFindings(context.Background(), "a", strings.NewReader(in), AuditOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, f := range fs {
		lines = append(lines, f.Location.Line)
	}
	if diff := cmp.Diff([]int{1, 3}, lines); diff != "" {
		t.Errorf("finding lines (-want +got):\n%s", diff)
	}
}

func TestCommandLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"id"}, "id"},
		{[]string{"sh", "-c", "echo hi"}, `sh -c "echo hi"`},
		{[]string{"printf", "", "a'b", "\x1b[31m"}, `printf "" "a'b" "\x1b[31m"`},
		{[]string{"echo", "\xff"}, `echo "\xff"`},
		{[]string{"echo", strings.Repeat("é", 300)}, "echo " + strings.Repeat("é", 125) + "..."},
	}
	for _, tt := range tests {
		if got := commandLine(tt.args); got != tt.want {
			t.Errorf("commandLine(%q) = %q, want %q", tt.args, got, tt.want)
		}
	}
}
