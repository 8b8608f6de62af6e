package docker

import (
	"context"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"

	"github.com/immutcheck/immutcheck/model"
	"github.com/immutcheck/immutcheck/rules"
)

const (
	runningID = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
	repoDg    = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
	otherID   = "sha256:3333333333333333333333333333333333333333333333333333333333333333"
)

// fakeImages answers ImageInspect from a map; other methods are not used.
type fakeImages struct {
	Engine
	images map[string]image.InspectResponse
}

func (f fakeImages) ImageInspect(_ context.Context, id string, _ ...client.ImageInspectOption) (image.InspectResponse, error) {
	if img, ok := f.images[id]; ok {
		return img, nil
	}
	return image.InspectResponse{}, errdefs.NotFound(errNoImage)
}

type notFound string

func (e notFound) Error() string { return string(e) }

var errNoImage = notFound("No such image")

// TestDigestMismatch: the facts Running reads make running-digest-mismatch
// decide as before for a declared digest and a declared tag.
func TestDigestMismatch(t *testing.T) {
	t.Parallel()
	eng := fakeImages{images: map[string]image.InspectResponse{
		runningID:   {ID: runningID, RepoDigests: []string{"ghcr.io/acme/web@" + repoDg}},
		"web:1.4":   {ID: runningID},
		"web:moved": {ID: otherID},
	}}
	ins := &container.InspectResponse{ContainerJSONBase: &container.ContainerJSONBase{Name: "/web", Image: runningID}}
	tests := []struct {
		declared string
		mismatch bool
	}{
		{"ghcr.io/acme/web:1.4@" + repoDg, false}, // a repository digest
		{"web@" + runningID, false},               // the image ID itself
		{"ghcr.io/acme/web@" + otherID, true},
		{"web:1.4", false},
		{"web:moved", true},
		{"web:unknown-here", false}, // left to image-not-pinned
	}
	for _, tt := range tests {
		rc, err := Running(context.Background(), eng, ins, model.NewArtifact(tt.declared, model.Location{File: "--expect"}))
		if err != nil {
			t.Errorf("%s: %v", tt.declared, err)
			continue
		}
		in := Instance("web")
		in.Containers = []model.RunningContainer{rc}
		var got []rules.Finding
		for _, f := range judge(&Result{Instance: in}) {
			if f.Rule == rules.RunningDigestMismatch {
				got = append(got, f)
			}
		}
		if (len(got) > 0) != tt.mismatch {
			t.Errorf("%s: findings %v, want mismatch %v", tt.declared, got, tt.mismatch)
		}
		if len(got) > 0 && (got[0].Subject != "container web" || got[0].Location.File != "container/web") {
			t.Errorf("%s: subject %q at %q", tt.declared, got[0].Subject, got[0].Location.File)
		}
	}
}

func TestExpectations(t *testing.T) {
	t.Parallel()
	var e Expectations
	for _, v := range []string{"ghcr.io/acme/web:1.4@" + repoDg, "db=postgres:16"} {
		if err := e.Expect(v); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Expect("${IMAGE}"); err == nil {
		t.Error("an unexpanded variable was accepted")
	}
	e.ByService = map[string]model.Artifact{"cache": model.NewArtifact("redis:7", model.Location{})}
	mk := func(name, img string, labels map[string]string) *container.InspectResponse {
		return &container.InspectResponse{ContainerJSONBase: &container.ContainerJSONBase{Name: "/" + name}, Config: &container.Config{Image: img, Labels: labels}}
	}
	for _, tt := range []struct {
		ins  *container.InspectResponse
		want string
	}{
		{mk("web-1", "ghcr.io/acme/web:1.3", nil), "ghcr.io/acme/web:1.4@" + repoDg},
		{mk("db", "anything", nil), "postgres:16"},
		{mk("shop-cache-1", "redis:6", map[string]string{LabelComposeService: "cache"}), "redis:7"},
		{mk("other", "nginx", nil), ""},
	} {
		a, ok := e.For(tt.ins)
		if a.Ref != tt.want || ok != (tt.want != "") {
			t.Errorf("%s: For = %q, %v; want %q", tt.ins.Name, a.Ref, ok, tt.want)
		}
	}
}

// TestWorkloadRules runs the declaration rules on a live configuration.
func TestWorkloadRules(t *testing.T) {
	t.Parallel()
	ins := &container.InspectResponse{
		ContainerJSONBase: &container.ContainerJSONBase{Name: "/web", HostConfig: &container.HostConfig{
			Privileged: true, NetworkMode: "host", CapAdd: []string{"NET_ADMIN"},
		}},
		Config: &container.Config{Image: "nginx:1.27"},
		Mounts: []container.MountPoint{{Type: mount.TypeBind, Source: "/srv/www", Destination: "/usr/share/nginx/html"}, {Type: mount.TypeVolume, Name: "data", Destination: "/data"}},
	}
	ev, err := rules.NewEvaluator([]*rules.Rule{rules.ImageNotPinned, rules.WritableRootFilesystem, rules.HostPathVolume, rules.PrivilegedInstance}, rules.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, f := range ev.Evaluate(&model.File{Path: "docker", Workloads: []*model.Workload{Workload(ins, model.Artifact{})}}) {
		got[f.Rule.ID]++
	}
	want := map[string]int{"image-not-pinned": 1, "writable-root-filesystem": 1, "host-path-volume": 1, "privileged-instance": 2}
	for id, n := range want {
		if got[id] != n {
			t.Errorf("%s: %d findings, want %d (all: %v)", id, got[id], n, got)
		}
	}
}

// TestWorkloadHealthcheck: the container's healthcheck is its probe, as a
// compose service's is, so missing-health-probe judges both alike.
func TestWorkloadHealthcheck(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		test             []string
		probes, disabled bool
	}{
		{nil, false, false},
		{[]string{"CMD", "true"}, true, false},
		{[]string{"NONE"}, false, true},
	} {
		ins := &container.InspectResponse{ContainerJSONBase: &container.ContainerJSONBase{Name: "/web"}, Config: &container.Config{Image: "nginx:1.27"}}
		if tt.test != nil {
			ins.Config.Healthcheck = &container.HealthConfig{Test: tt.test}
		}
		c := Workload(ins, model.Artifact{}).Containers[0]
		if (len(c.Probes) > 0) != tt.probes || c.ProbesDisabled != tt.disabled {
			t.Errorf("healthcheck %q: probes %v, disabled %v", tt.test, c.Probes, c.ProbesDisabled)
		}
	}
}
