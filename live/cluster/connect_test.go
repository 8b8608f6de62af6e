package cluster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const connectTestConfig = `apiVersion: v1
kind: Config
clusters:
- {name: a, cluster: {server: "https://a.example:6443"}}
- {name: b, cluster: {server: "https://b.example:6443"}}
users:
- {name: u, user: {token: t}}
contexts:
- {name: one, context: {cluster: a, user: u}}
- {name: two, context: {cluster: b, user: u, namespace: shop}}
current-context: one
`

func TestConnect(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(path, []byte(connectTestConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name             string
		o                ConnectOptions
		env              string
		server, ns, errs string
	}{
		{name: "current context", o: ConnectOptions{Kubeconfig: path}, server: "https://a.example:6443", ns: "default"},
		{name: "named context", o: ConnectOptions{Kubeconfig: path, Context: "two"}, server: "https://b.example:6443", ns: "shop"},
		{name: "KUBECONFIG", env: path, o: ConnectOptions{Context: "two"}, server: "https://b.example:6443", ns: "shop"},
		{name: "unknown context", o: ConnectOptions{Kubeconfig: path, Context: "three"}, errs: `context "three" does not exist`},
		{name: "missing file", o: ConnectOptions{Kubeconfig: path + ".none"}, errs: "no such file"},
		{name: "nothing", env: filepath.Join(t.TempDir(), "none"), errs: "no kubeconfig"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("KUBECONFIG", tt.env)
			t.Setenv("HOME", t.TempDir())
			t.Setenv("KUBERNETES_SERVICE_HOST", "")
			c, err := Connect(tt.o)
			if tt.errs != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errs) {
					t.Fatalf("Connect: %v, want an error with %q", err, tt.errs)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Server != tt.server || c.Namespace != tt.ns {
				t.Errorf("server %q namespace %q, want %q %q", c.Server, c.Namespace, tt.server, tt.ns)
			}
			cfg := c.Config
			if cfg.ContentType != "application/vnd.kubernetes.protobuf" || !strings.HasPrefix(cfg.AcceptContentTypes, "application/vnd.kubernetes.protobuf,") {
				t.Errorf("content types %q / %q", cfg.ContentType, cfg.AcceptContentTypes)
			}
			if cfg.UserAgent != "immutcheck/devel" || cfg.QPS != 50 || cfg.Burst != 100 || cfg.Timeout == 0 {
				t.Errorf("user agent %q, QPS %v, burst %d, timeout %v", cfg.UserAgent, cfg.QPS, cfg.Burst, cfg.Timeout)
			}
		})
	}
}
