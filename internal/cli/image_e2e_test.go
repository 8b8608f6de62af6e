package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestImageVerifyE2E runs `immutcheck image verify` against the real
// registry with an image signed by the real cosign CLI
// (scripts/setup/registry.sh and cosign.sh).
func TestImageVerifyE2E(t *testing.T) {
	t.Parallel()
	reg, cosign := os.Getenv("IMMUTCHECK_REGISTRY"), os.Getenv("IMMUTCHECK_COSIGN")
	if reg == "" || cosign == "" {
		msg := "real OCI registry and cosign CLI not available (IMMUTCHECK_REGISTRY, IMMUTCHECK_COSIGN; scripts/setup/registry.sh, cosign.sh)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, cosign, args...)
		cmd.Dir, cmd.Env = dir, append(os.Environ(), "COSIGN_PASSWORD=", "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("cosign %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("generate-key-pair")
	repo := reg + "/cli-e2e-" + time.Now().Format("150405.000000")
	signed := pushImage(t, repo+":1.0.0")
	unsigned := pushImage(t, repo+":2.0.0")
	run("sign", "--key", "cosign.key", "--tlog-upload=false", "--allow-http-registry", "--yes", repo+"@"+signed)
	key := filepath.Join(dir, "cosign.pub")
	tests := []struct {
		name     string
		args     []string
		want     int
		wantRule string
	}{
		{"signed by cosign", []string{repo + ":1.0.0@" + signed}, ExitClean, ""},
		{"unsigned", []string{repo + "@" + unsigned}, ExitFindings, "image-unsigned"},
		{"provenance required", []string{"--type", "slsaprovenance", repo + "@" + signed}, ExitFindings, "provenance-missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"image", "verify", "--format", "json", "--key", key, "--insecure-registry", reg}, tt.args...)
			if got := Main(context.Background(), args, nil, &out, &errOut); got != tt.want {
				t.Fatalf("exit %d, want %d\n%s\n%s", got, tt.want, out.String(), errOut.String())
			}
			if tt.wantRule != "" && !strings.Contains(out.String(), `"`+tt.wantRule+`"`) {
				t.Errorf("JSON report does not name %s:\n%s", tt.wantRule, out.String())
			}
		})
	}
}
