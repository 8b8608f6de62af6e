package recreate

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/docker/docker/api/types/container"
)

// Replace recreates the container: the old one is stopped and renamed
// aside (it may hold host ports), the new one is created under the old name
// from the same image ID and configuration, started, and its healthcheck
// awaited; only then is the old one removed. When the new container fails,
// it is removed and the old one gets its name back and is started again.
// It returns the new container's ID.
func (rm *Remediator) Replace(ctx context.Context, ins *container.InspectResponse) (string, error) {
	spec, err := SpecOf(ins)
	if err != nil {
		return "", err
	}
	if wait := rm.Gap - time.Since(rm.last); !rm.last.IsZero() && wait > 0 {
		rm.logf("waiting %s before the next replacement (rate limit)", wait.Round(time.Second))
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	rm.last = time.Now()
	eng := rm.Engine
	aside := fmt.Sprintf("%s-immutcheck-old-%d", spec.Name, time.Now().Unix())
	rm.logf("%s", spec.Describe())
	if err := eng.ContainerStop(ctx, ins.ID, container.StopOptions{}); err != nil {
		return "", fmt.Errorf("stop %s: %w", spec.Name, err)
	}
	if err := eng.ContainerRename(ctx, ins.ID, aside); err != nil {
		rm.restart(ins.ID, spec.Name, "")
		return "", fmt.Errorf("rename %s aside: %w", spec.Name, err)
	}
	newID, err := rm.start(ctx, spec)
	if err != nil {
		rm.logf("new container for %s failed: %v; rolling back", spec.Name, err)
		if rerr := rm.restart(ins.ID, spec.Name, newID); rerr != nil {
			return "", fmt.Errorf("replace %s: %w; ROLLBACK FAILED: %w", spec.Name, err, rerr)
		}
		return "", fmt.Errorf("replace %s: %w (rolled back to the old container)", spec.Name, err)
	}
	if err := eng.ContainerRemove(ctx, ins.ID, container.RemoveOptions{}); err != nil {
		return newID, fmt.Errorf("remove old container %s (%s): %w", aside, ins.ID[:12], err)
	}
	rm.logf("replaced %s: %s → %s", spec.Name, ins.ID[:12], newID[:12])
	return newID, nil
}

// start creates, connects and starts the new container and waits until it
// is healthy. On failure the ID of a created container is still returned,
// for the rollback to remove.
func (rm *Remediator) start(ctx context.Context, spec *Spec) (string, error) {
	eng := rm.Engine
	netCfg := &networkingFor{spec}
	resp, err := eng.ContainerCreate(ctx, spec.Config, spec.Host, netCfg.primary(), nil, spec.Name)
	if err != nil {
		return "", fmt.Errorf("create: %w", err)
	}
	for name, ep := range spec.Networks {
		if name == spec.Primary || isSpecialNetwork(spec.Host.NetworkMode) {
			continue
		}
		if err := eng.NetworkConnect(ctx, name, resp.ID, ep); err != nil {
			return resp.ID, fmt.Errorf("connect network %s: %w", name, err)
		}
	}
	if err := eng.ContainerStart(ctx, resp.ID, container.StartOptions{}); err != nil {
		return resp.ID, fmt.Errorf("start: %w", err)
	}
	return resp.ID, rm.waitHealthy(ctx, resp.ID, spec)
}

// waitHealthy waits for the healthcheck, or without one checks that the
// container is still running after the settle time.
func (rm *Remediator) waitHealthy(ctx context.Context, id string, spec *Spec) error {
	hc := spec.Config.Healthcheck
	hasCheck := hc != nil && len(hc.Test) > 0 && hc.Test[0] != "NONE"
	limit, settle := rm.HealthTimeout, rm.Settle
	if limit <= 0 {
		limit = 2 * time.Minute
	}
	if settle <= 0 {
		settle = 3 * time.Second
	}
	deadline := time.Now().Add(limit)
	if !hasCheck {
		deadline = time.Now().Add(settle)
	}
	for {
		ins, err := rm.Engine.ContainerInspect(ctx, id)
		if err != nil {
			return fmt.Errorf("inspect new container: %w", err)
		}
		st := ins.State
		switch {
		case st == nil || !st.Running || st.Restarting:
			return fmt.Errorf("new container is not running (status %s, exit code %d)", stateOf(st), exitOf(st))
		case hasCheck && st.Health != nil && st.Health.Status == container.Healthy:
			return nil
		case hasCheck && st.Health != nil && st.Health.Status == container.Unhealthy:
			return errors.New("new container is unhealthy")
		case time.Now().After(deadline):
			if hasCheck {
				return fmt.Errorf("new container not healthy after %s", limit)
			}
			return nil
		}
		select {
		case <-time.After(250 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// restart is the rollback: remove the new container, give the old one its
// name back and start it. It runs even when ctx was cancelled.
func (rm *Remediator) restart(oldID, name, newID string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if newID != "" {
		if err := rm.Engine.ContainerRemove(ctx, newID, container.RemoveOptions{Force: true}); err != nil {
			return fmt.Errorf("remove new container: %w", err)
		}
	}
	if err := rm.Engine.ContainerRename(ctx, oldID, name); err != nil {
		return fmt.Errorf("restore name: %w", err)
	}
	if err := rm.Engine.ContainerStart(ctx, oldID, container.StartOptions{}); err != nil {
		return fmt.Errorf("start old container: %w", err)
	}
	return nil
}

func (rm *Remediator) logf(format string, args ...any) {
	if rm.Log != nil {
		fmt.Fprintf(rm.Log, "immutcheck: "+format+"\n", args...)
	}
}

func stateOf(st *container.State) string {
	if st == nil {
		return "unknown"
	}
	return string(st.Status)
}

func exitOf(st *container.State) int {
	if st == nil {
		return -1
	}
	return st.ExitCode
}
