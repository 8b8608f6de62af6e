package docker

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
)

// Labels docker compose sets on the containers it creates.
const (
	LabelComposeProject = "com.docker.compose.project"
	LabelComposeService = "com.docker.compose.service"
)

// probeLabel marks the unstarted containers this package creates to read
// image files; they are never listed or checked.
const probeLabel = "io.immutcheck.probe"

// Filter selects the containers to check. Empty fields select everything;
// set fields must all match.
type Filter struct {
	// Names are exact container names (without the leading "/").
	Names []string
	// Labels are "key" or "key=value" label filters, as docker ps takes them.
	Labels []string
	// ComposeProject selects the containers of one compose project.
	ComposeProject string
	// IDs, when set, select these container IDs only.
	IDs []string
}

// List returns the running containers the filter selects, by name.
func List(ctx context.Context, eng Engine, f Filter) ([]container.Summary, error) {
	args := filters.NewArgs(filters.Arg("status", "running"))
	for _, l := range f.Labels {
		args.Add("label", l)
	}
	for _, id := range f.IDs {
		args.Add("id", id)
	}
	if f.ComposeProject != "" {
		args.Add("label", LabelComposeProject+"="+f.ComposeProject)
	}
	cs, err := eng.ContainerList(ctx, container.ListOptions{Filters: args})
	if err != nil {
		return nil, fmt.Errorf("list containers: %w", err)
	}
	want := map[string]bool{}
	for _, n := range f.Names {
		want[strings.TrimPrefix(n, "/")] = true
	}
	var out []container.Summary
	for _, c := range cs {
		if _, probe := c.Labels[probeLabel]; probe {
			continue
		}
		if len(want) > 0 && !want[Name(c.Names)] {
			continue
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return Name(out[i].Names) < Name(out[j].Names) })
	return out, nil
}

// Name returns a container's primary name without the leading "/".
func Name(names []string) string {
	for _, n := range names {
		n = strings.TrimPrefix(n, "/")
		if !strings.Contains(n, "/") { // legacy link aliases contain a "/"
			return n
		}
	}
	if len(names) > 0 {
		return strings.TrimPrefix(names[0], "/")
	}
	return ""
}
