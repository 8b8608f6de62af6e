package recreate

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/client"

	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/internal/e2e"
	"github.com/immutcheck/immutcheck/live/docker"
	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

// engine connects to the real Docker Engine of the setup step
// (scripts/setup/docker.sh) holding the daemon lock shared; without it the
// test skips or fails as package e2e decides.
func engine(t *testing.T) *client.Client {
	t.Helper()
	e2e.LockDocker(t)
	e2e.NeedDocker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := docker.Connect(ctx)
	if err != nil {
		e2e.DockerMissing(t, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// check checks a container for drift as `immutcheck docker` does and
// returns whether it drifted and the findings of the catalog.
func check(t *testing.T, eng docker.Engine, name string) (bool, []rules.Finding) {
	t.Helper()
	ig, err := drift.NewIgnores(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ck := &docker.Checker{Engine: eng, Ignores: ig}
	defer ck.Close(context.Background())
	res, err := ck.Check(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := rules.NewEvaluator(rules.All(), rules.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	f := &model.File{Path: "docker", Problems: res.Problems}
	if res.Instance != nil {
		f.Instances = []*model.Instance{res.Instance}
	}
	return res.Drifted(), ev.Evaluate(f)
}

func dump(fs []rules.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s %s %s: %s\n", f.Rule.ID, f.Severity, f.Location.File, f.Message)
	}
	return b.String()
}
