package docker

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/client"

	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/internal/e2e"
	"github.com/immutcheck/immutcheck/rules"
)

// engine connects to the real Docker Engine of the setup step
// (scripts/setup/docker.sh) holding the daemon lock shared; without it the
// test skips or fails as package e2e decides.
func engine(t *testing.T) *client.Client {
	t.Helper()
	e2e.LockDocker(t)
	return connectEngine(t)
}

// connectEngine is engine without the daemon lock.
func connectEngine(t *testing.T) *client.Client {
	t.Helper()
	e2e.NeedDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := Connect(ctx)
	if err != nil {
		e2e.DockerMissing(t, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func checker(t *testing.T, eng Engine) *Checker {
	t.Helper()
	ig, err := drift.NewIgnores(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ck := &Checker{Engine: eng, Ignores: ig}
	t.Cleanup(func() { ck.Close(context.Background()) })
	return ck
}

// has reports whether a finding of rule has a message containing want.
func has(fs []rules.Finding, rule *rules.Rule, want string) bool {
	for _, f := range fs {
		if f.Rule == rule && strings.Contains(f.Subject+" "+f.Message+" "+f.Location.File, want) {
			return true
		}
	}
	return false
}

func dump(fs []rules.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s %s %s: %s\n", f.Rule.ID, f.Severity, f.Location.File, f.Message)
	}
	return b.String()
}
