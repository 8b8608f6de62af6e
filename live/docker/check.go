package docker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"

	"github.com/immutcheck/immutcheck/drift"
	"github.com/immutcheck/immutcheck/model"
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
	// Instance is the container as the rules judge it: its classified
	// changes, the processes it runs and the docker exec shells still
	// running in it. Its Containers are left to the caller, which knows the
	// declared image (see Running).
	Instance *model.Instance
	// Problems are what could not be checked, located in the container.
	Problems []model.Problem
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
	// APIOnly reads files only through the engine's archive API, even when
	// the overlay2 layers are readable on this host.
	APIOnly bool
	// ProcRoot is the host's process filesystem (default /proc).
	ProcRoot string

	mu     sync.Mutex
	probes map[string]string // image ID -> probe container ID
}

// Check compares one container with its image, classifies the drift and
// reads its processes.
func (ck *Checker) Check(ctx context.Context, id string) (*Result, error) {
	ins, err := ck.Engine.ContainerInspect(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("inspect container %s: %w", id, err)
	}
	r := &Result{ID: ins.ID, Name: trimSlash(ins.Name), Image: ins.Image, Inspect: ins}
	r.Diff, err = ck.diff(ctx, &ins)
	if err != nil {
		return nil, fmt.Errorf("diff container %s: %w", r.Name, err)
	}
	liveItems, baseItems := plan(withoutMountPoints(r.Diff, &ins))
	base, live, err := ck.read(ctx, &ins, liveItems, baseItems)
	if err != nil && ck.gone(ctx, ins.ID) {
		err = errGone
	}
	if errors.Is(err, errGone) {
		r.Gone = true
		return r, nil
	}
	if err != nil {
		return nil, fmt.Errorf("container %s: %w", r.Name, err)
	}
	cmp := drift.Compare(base, live, ck.Ignores)
	cmp.Changes = explicitOnly(cmp.Changes)
	r.Comparison = cmp
	r.Instance = Instance(r.Name)
	var problems []model.Problem
	r.Instance.Changes, problems = drift.Classify(base, live, cmp)
	procs, sessions, unread, err := ck.processes(ctx, &ins, r.Diff, cmp, base)
	if err != nil {
		return nil, fmt.Errorf("processes of container %s: %w", r.Name, err)
	}
	r.Instance.Processes, r.Instance.Sessions = procs, sessions
	r.Problems = locate(r.Name, append(problems, unread...))
	return r, nil
}

// Instance is the model of the container named name, before its facts
// are filled in.
func Instance(name string) *model.Instance {
	return &model.Instance{Kind: "Container", Subject: "container " + name, Location: model.Location{File: "container/" + name}}
}

// Unchecked is the problem of a container that could not be checked at
// all.
func Unchecked(name string, err error) model.Problem {
	return model.Problem{Kind: model.TreeUnread, Object: "container " + name, Location: model.Location{File: "container/" + name}, Err: fmt.Errorf("not checked: %w", err)}
}

// read reads both sides: from the overlay2 layers on this host when the
// container's and the image's are readable (no API call per path), else
// through the engine's archive API from the container and from an unstarted
// probe container of the image.
func (ck *Checker) read(ctx context.Context, ins *container.InspectResponse, liveItems, baseItems []readItem) (base, live *drift.Snapshot, err error) {
	liveOv := overlayOf(ins.GraphDriver.Name, ins.GraphDriver.Data)
	var baseOv *overlay
	if liveOv != nil && !ck.APIOnly {
		img, err := ck.Engine.ImageInspect(ctx, ins.Image)
		if err != nil {
			return nil, nil, fmt.Errorf("inspect image %s: %w", ins.Image, err)
		}
		baseOv = overlayOf(img.GraphDriver.Name, img.GraphDriver.Data)
	}
	if baseOv != nil {
		if live, err = readWith(ctx, func(w io.Writer) error { return liveOv.writeItems(liveItems, w) }); err != nil {
			return nil, nil, fmt.Errorf("read container layers: %w", err)
		}
		if base, err = readWith(ctx, func(w io.Writer) error { return baseOv.writeItems(baseItems, w) }); err != nil {
			return nil, nil, fmt.Errorf("read image layers: %w", err)
		}
		return base, live, nil
	}
	if live, err = readTree(ctx, ck.Engine, ins.ID, liveItems); err != nil {
		return nil, nil, err
	}
	probe, err := ck.probe(ctx, ins.Image)
	if err != nil {
		return nil, nil, err
	}
	if base, err = readTree(ctx, ck.Engine, probe, baseItems); err != nil {
		return nil, nil, fmt.Errorf("read image %s: %w", ins.Image, err)
	}
	return base, live, nil
}

// withoutMountPoints drops the mount points the engine created in the
// writable layer for volumes and binds (and anything listed below them):
// they are the declared configuration, not drift.
func withoutMountPoints(diff []container.FilesystemChange, ins *container.InspectResponse) []container.FilesystemChange {
	var out []container.FilesystemChange
	for _, ch := range diff {
		mp := false
		for _, m := range ins.Mounts {
			if d := m.Destination; ch.Path == d || strings.HasPrefix(ch.Path, strings.TrimSuffix(d, "/")+"/") {
				mp = true
				break
			}
		}
		if !mp {
			out = append(out, ch)
		}
	}
	return out
}

// diff lists the changed paths: from the overlay2 upper directory when it
// is readable on this host (cost follows the writable layer; the engine's
// own diff may walk the whole image), else from the engine.
func (ck *Checker) diff(ctx context.Context, ins *container.InspectResponse) ([]container.FilesystemChange, error) {
	if !ck.APIOnly {
		if ov := overlayOf(ins.GraphDriver.Name, ins.GraphDriver.Data); ov != nil {
			return upperChanges(ov)
		}
	}
	return ck.Engine.ContainerDiff(ctx, ins.ID)
}

// gone reports whether the container no longer exists.
func (ck *Checker) gone(ctx context.Context, id string) bool {
	_, err := ck.Engine.ContainerInspect(ctx, id)
	return client.IsErrNotFound(err)
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

// locate places problems of the container's tree in the container, as
// the rules place its changes: "container/NAME:PATH", "container NAME:
// PATH".
func locate(name string, ps []model.Problem) []model.Problem {
	for i := range ps {
		ps[i].Location.File = "container/" + name + ":" + ps[i].Location.File
		ps[i].Object = "container " + name + ": " + ps[i].Object
	}
	return ps
}

func trimSlash(s string) string {
	if len(s) > 0 && s[0] == '/' {
		return s[1:]
	}
	return s
}
