package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/immutcheck/immutcheck/internal/e2e"
)

// TestImageVerifyE2E runs `immutcheck image verify` against the real
// registry with an image signed by the real cosign CLI
// (scripts/setup/registry.sh and cosign.sh).
func TestImageVerifyE2E(t *testing.T) {
	t.Parallel()
	reg := e2e.Registry(t)
	dir := t.TempDir()
	run := cosignIn(t, dir)
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
