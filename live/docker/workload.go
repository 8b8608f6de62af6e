package docker

import (
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"

	"github.com/immutcheck/immutcheck/model"
)

// Workload describes a container as the engine runs it, in the model the
// declaration rules check, so image-not-pinned, writable-root-filesystem,
// host-path-volume and privileged-instance run unchanged on live
// configuration; the other declaration rules (missing-health-probe, the
// registry allowlist) judge it as they judge a compose service. declared is the image reference the container's
// declaration gives (an --expect reference or the compose service's image);
// when its Ref is empty the reference the container was created with is
// used.
func Workload(ins *container.InspectResponse, declared model.Artifact) *model.Workload {
	name := trimSlash(ins.Name)
	loc := model.Location{File: "container/" + name}
	w := &model.Workload{Source: "docker", Kind: "container", Name: name, Location: loc, Controlled: true}
	img := declared
	if img.Ref == "" && ins.Config != nil {
		img = model.NewArtifact(ins.Config.Image, loc)
	}
	// The workload is the container: no separate container name in subjects.
	c := model.Container{Role: "container", Location: loc, Image: img}
	if ins.Config != nil && ins.Config.Healthcheck != nil && len(ins.Config.Healthcheck.Test) > 0 {
		if ins.Config.Healthcheck.Test[0] == "NONE" {
			c.ProbesDisabled = true
		} else {
			c.Probes = []string{"healthcheck"}
		}
	}
	if hc := ins.HostConfig; hc != nil {
		c.ReadOnlyRoot = &model.BoolSetting{Value: hc.ReadonlyRootfs, Location: loc}
		c.Privileged = &model.BoolSetting{Value: hc.Privileged, Location: loc}
		for _, cp := range hc.CapAdd {
			c.AddedCapabilities = append(c.AddedCapabilities, model.Setting{Value: cp, Location: loc})
		}
		for ns, mode := range map[string]string{"network": string(hc.NetworkMode), "PID": string(hc.PidMode), "IPC": string(hc.IpcMode), "UTS": string(hc.UTSMode)} {
			if mode == "host" {
				w.HostNamespaces = append(w.HostNamespaces, model.Setting{Value: ns, Location: loc})
			}
		}
	}
	for _, m := range ins.Mounts {
		if m.Type == mount.TypeBind {
			w.HostPaths = append(w.HostPaths, model.HostPath{Name: m.Destination, Path: m.Source, Location: loc})
		}
	}
	w.Containers = []model.Container{c}
	return w
}
