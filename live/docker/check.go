package docker

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/docker/docker/api/types/container"

	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/rules"
)

// Result is the check of one container.
type Result struct {
	// ID and Name identify the container; Image is its image ID.
	ID, Name, Image string
	// Inspect is the engine's description of the container.
	Inspect container.InspectResponse
	// Diff is the engine's list of changed paths.
	Diff []container.FilesystemChange
	// Comparison is the drift engine's view of the changed paths.
	Comparison *drift.Comparison
	// Findings are the drift findings, located at container paths.
	Findings []rules.Finding
	// Gone is true when the container was removed during the check.
	Gone bool
}

// Drifted reports whether the container differs from its image.
func (r *Result) Drifted() bool {
	return r.Comparison != nil && len(r.Comparison.Changes) > 0
}

// Checker checks containers of one engine. It creates at most one probe
// container per image and removes them in Close.
type Checker struct {
	Engine  Engine
	Ignores *drift.Ignores

	mu     sync.Mutex
	probes map[string]string // image ID -> probe container ID
}

// Check compares one container with its image and classifies the drift,
// including foreign processes.
func (ck *Checker) Check(ctx context.Context, id string) (*Result, error) {
	ins, err := ck.Engine.ContainerInspect(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("inspect container %s: %w", id, err)
	}
	r := &Result{ID: ins.ID, Name: trimSlash(ins.Name), Image: ins.Image, Inspect: ins}
	r.Diff, err = ck.Engine.ContainerDiff(ctx, ins.ID)
	if err != nil {
		return nil, fmt.Errorf("diff container %s: %w", r.Name, err)
	}
	liveItems, baseItems := plan(r.Diff)
	live, err := readTree(ctx, ck.Engine, ins.ID, liveItems)
	if errors.Is(err, errGone) {
		r.Gone = true
		return r, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read container %s: %w", r.Name, err)
	}
	probe, err := ck.probe(ctx, ins.Image)
	if err != nil {
		return nil, fmt.Errorf("container %s: %w", r.Name, err)
	}
	base, err := readTree(ctx, ck.Engine, probe, baseItems)
	if err != nil {
		return nil, fmt.Errorf("read image %s of container %s: %w", ins.Image, r.Name, err)
	}
	cmp := drift.Compare(base, live, ck.Ignores)
	cmp.Changes = explicitOnly(cmp.Changes)
	r.Comparison = cmp
	r.Findings = drift.Classify(base, live, cmp)
	procs, err := ck.processes(ctx, &ins, r.Diff)
	if err != nil {
		return nil, fmt.Errorf("processes of container %s: %w", r.Name, err)
	}
	r.Findings = append(r.Findings, procs...)
	locate(r)
	rules.Sort(r.Findings)
	return r, nil
}

// explicitOnly drops changes of directories that one side only implies (the
// parent of a path read): their metadata was not read, so nothing is known.
func explicitOnly(chs []drift.Change) []drift.Change {
	out := chs[:0]
	for _, ch := range chs {
		if (ch.Old != nil && ch.Old.Implicit) || (ch.New != nil && ch.New.Implicit) {
			continue
		}
		out = append(out, ch)
	}
	return out
}

// locate prefixes finding locations and subjects with the container name.
func locate(r *Result) {
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Location.File = "container/" + r.Name + ":" + f.Location.File
		f.Subject = "container " + r.Name + ": " + f.Subject
	}
}

func trimSlash(s string) string {
	if len(s) > 0 && s[0] == '/' {
		return s[1:]
	}
	return s
}
