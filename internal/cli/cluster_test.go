package cli

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kubeconfigFor writes a kubeconfig whose only context talks to server
// with token, in namespace ns.
func kubeconfigFor(t *testing.T, server, token, ns string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kubeconfig")
	data := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: %q, insecure-skip-tls-verify: true}
users:
- name: u
  user: {token: %q}
contexts:
- name: x
  context: {cluster: c, user: u, namespace: %q}
current-context: x
`, server, token, ns)
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestClusterUnreachable(t *testing.T) {
	t.Parallel()
	server := "https://" + closedPort(t)
	code, stdout, stderr := run(t, "", "cluster", "-A", "--kubeconfig", kubeconfigFor(t, server, "x", ""))
	if code != ExitCouldNotCheck {
		t.Fatalf("exit %d, want %d; stderr: %s", code, ExitCouldNotCheck, stderr)
	}
	if !strings.Contains(stderr, "cannot reach the Kubernetes API server at "+server) || !strings.Contains(stderr, "connection refused") {
		t.Errorf("stderr does not name the server and the cause: %s", stderr)
	}
	if stdout != "" {
		t.Errorf("a report was written although nothing was checked: %s", stdout)
	}
}

func TestClusterUsage(t *testing.T) {
	t.Parallel()
	kc := kubeconfigFor(t, "https://"+closedPort(t), "x", "")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"namespace and all", []string{"-n", "a", "-A"}, "exclude each other"},
		{"disable unchecked", []string{"--disable", "cluster-unchecked"}, "cannot be disabled"},
		{"unknown rule", []string{"--disable", "no-such-rule"}, "no such rule"},
		{"chunk size", []string{"--chunk-size", "0"}, "--chunk-size"},
		{"bad selector", []string{"-l", "a in (b"}, "--selector"},
		{"negative age", []string{"--max-age", "-1h"}, "negative"},
		{"revisions without registry", []string{"--rollback-revisions", "2"}, "needs --registry"},
		{"missing kubeconfig", []string{"--kubeconfig", filepath.Join(t.TempDir(), "none")}, "kubeconfig"},
		{"unknown context", []string{"--context", "nope"}, "nope"},
		{"bad format", []string{"--format", "xml"}, "xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"cluster", "--kubeconfig", kc}, tt.args...)
			code, _, stderr := run(t, "", args...)
			if code != ExitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q", code, stderr, ExitUsage, tt.want)
			}
		})
	}
}

func TestListProgress(t *testing.T) {
	t.Parallel()
	var quiet strings.Builder
	p := newListProgress(&quiet) // not a terminal
	p.update("pods", 500)
	p.done()
	if quiet.Len() != 0 {
		t.Errorf("progress written to a non-terminal: %q", quiet.String())
	}
	var b strings.Builder
	p = &listProgress{w: &b, counts: map[string]int{}}
	p.update("pods", 500)
	p.update("nodes", 3)
	p.update("pods", 1000)
	p.done()
	if got := b.String(); !strings.Contains(got, "listed pods 500") || !strings.Contains(got, "listed 1003 objects") ||
		!strings.Contains(got, "(nodes 3, pods 1000)") || !strings.HasSuffix(got, "\n") {
		t.Errorf("progress = %q", got)
	}
}
