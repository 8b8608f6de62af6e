package recreate

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/network"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// fakeLifecycle records container lifecycle calls; created containers are
// running unless failStart is set.
type fakeLifecycle struct {
	Engine
	mu        sync.Mutex
	calls     []string
	failStart bool
}

func (f *fakeLifecycle) log(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, s)
}

func (f *fakeLifecycle) ContainerStop(_ context.Context, id string, _ container.StopOptions) error {
	f.log("stop " + id)
	return nil
}

func (f *fakeLifecycle) ContainerRename(_ context.Context, id, name string) error {
	f.log("rename " + id)
	return nil
}

func (f *fakeLifecycle) ContainerCreate(_ context.Context, _ *container.Config, _ *container.HostConfig, _ *network.NetworkingConfig, _ *ocispec.Platform, name string) (container.CreateResponse, error) {
	f.log("create " + name)
	return container.CreateResponse{ID: "new-" + name + "-0123456789"}, nil
}

func (f *fakeLifecycle) ContainerStart(_ context.Context, id string, _ container.StartOptions) error {
	f.log("start " + id)
	if f.failStart && id != "old-0123456789ab" {
		return errors.New("port already allocated")
	}
	return nil
}

func (f *fakeLifecycle) ContainerInspect(_ context.Context, id string) (container.InspectResponse, error) {
	return container.InspectResponse{ContainerJSONBase: &container.ContainerJSONBase{ID: id, State: &container.State{Running: true, Status: "running"}}}, nil
}

func (f *fakeLifecycle) ContainerRemove(_ context.Context, id string, _ container.RemoveOptions) error {
	f.log("remove " + id)
	return nil
}

func oldContainer() *container.InspectResponse {
	return &container.InspectResponse{
		ContainerJSONBase: &container.ContainerJSONBase{ID: "old-0123456789ab", Name: "/web", Image: runningID, HostConfig: &container.HostConfig{NetworkMode: "bridge"}},
		Config:            &container.Config{Image: "web:1"},
	}
}

func TestReplaceRateLimited(t *testing.T) {
	t.Parallel()
	eng := &fakeLifecycle{}
	rm := &Remediator{Engine: eng, Gap: 300 * time.Millisecond, Settle: time.Millisecond}
	start := time.Now()
	for i := 0; i < 2; i++ {
		if _, err := rm.Replace(context.Background(), oldContainer()); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("two replacements took %s, want at least the 300ms gap", d)
	}
}

func TestReplaceRollsBackWhenStartFails(t *testing.T) {
	t.Parallel()
	eng := &fakeLifecycle{failStart: true}
	rm := &Remediator{Engine: eng, Settle: time.Millisecond}
	if _, err := rm.Replace(context.Background(), oldContainer()); err == nil {
		t.Fatal("Replace succeeded although the new container did not start")
	}
	want := []string{"stop old-0123456789ab", "rename old-0123456789ab", "create web", "start new-web-0123456789",
		"remove new-web-0123456789", "rename old-0123456789ab", "start old-0123456789ab"}
	if len(eng.calls) != len(want) {
		t.Fatalf("calls %q, want %q", eng.calls, want)
	}
	for i := range want {
		if eng.calls[i] != want[i] {
			t.Errorf("call %d = %q, want %q", i, eng.calls[i], want[i])
		}
	}
}

func TestSpecOf(t *testing.T) {
	t.Parallel()
	ins := oldContainer()
	ins.Config.Hostname = "old-01234567"
	ins.Mounts = []container.MountPoint{{Type: "volume", Name: "anon123", Destination: "/data", RW: true}}
	ins.NetworkSettings = &container.NetworkSettings{Networks: map[string]*network.EndpointSettings{
		"shop": {Aliases: []string{"old-01234567", "web"}},
	}}
	s, err := SpecOf(ins)
	if err != nil {
		t.Fatal(err)
	}
	if s.Config.Image != runningID || s.Config.Hostname != "" {
		t.Errorf("image %q hostname %q; want the image ID and the default hostname", s.Config.Image, s.Config.Hostname)
	}
	if len(s.Host.Mounts) != 1 || s.Host.Mounts[0].Source != "anon123" {
		t.Errorf("anonymous volume not kept by name: %+v", s.Host.Mounts)
	}
	if a := s.Networks["shop"].Aliases; len(a) != 1 || a[0] != "web" {
		t.Errorf("aliases %q, want [web] (the short ID is the engine's)", a)
	}
}

const runningID = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
