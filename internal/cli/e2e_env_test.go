package cli

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/immutcheck/immutcheck/internal/e2e"
)

// needEnv returns the environment variable name, which the setup step
// scripts/setup/<setup> sets when the real component what is running.
// Without it the test skips or fails as package e2e decides.
func needEnv(t *testing.T, name, what, setup string) string {
	t.Helper()
	return e2e.Env(t, name, what, "run scripts/setup/"+setup)
}

// cosignIn returns a runner of the real cosign CLI in dir, with an empty
// key password and dir as its home.
func cosignIn(t *testing.T, dir string) func(args ...string) {
	cosign := needEnv(t, "IMMUTCHECK_COSIGN", "cosign CLI", "cosign.sh")
	return func(args ...string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, cosign, args...)
		cmd.Dir, cmd.Env = dir, append(os.Environ(), "COSIGN_PASSWORD=", "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("cosign %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
