package recreate

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/network"
)

// Remediator replaces drifted containers with fresh ones from the same
// image digest, one at a time.
type Remediator struct {
	Engine Engine
	// HealthTimeout bounds the wait for the new container's healthcheck
	// (default 2 minutes); without a healthcheck the new container must
	// still be running after Settle (default 3 seconds).
	HealthTimeout, Settle time.Duration
	// Gap is the least time between two replacements (the rate limit).
	Gap time.Duration
	// Log receives one line per step.
	Log io.Writer

	last time.Time
}

// Spec is what a container is recreated from: the same image ID and the
// same configuration.
type Spec struct {
	Name     string
	Config   *container.Config
	Host     *container.HostConfig
	Networks map[string]*network.EndpointSettings
	// Primary is the network the container is created on; the others are
	// connected before it starts.
	Primary string
}

// SpecOf derives the replacement of a container from its inspect output:
// image pinned to the image ID, the same command, environment, labels
// (compose labels included), healthcheck, mounts (anonymous volumes kept by
// name so no data is lost), ports, restart policy, resources and networks
// with their aliases.
func SpecOf(ins *container.InspectResponse) (*Spec, error) {
	if ins.Config == nil || ins.HostConfig == nil {
		return nil, errors.New("container has no configuration")
	}
	cfg := *ins.Config
	cfg.Image = ins.Image
	if len(ins.ID) >= 12 && cfg.Hostname == ins.ID[:12] {
		cfg.Hostname = "" // the engine's default, the new container's ID
	}
	host := *ins.HostConfig
	host.Mounts = append([]mount.Mount(nil), host.Mounts...)
	declared := map[string]bool{}
	for _, b := range host.Binds {
		if parts := strings.Split(b, ":"); len(parts) >= 2 {
			declared[parts[1]] = true
		}
	}
	for _, m := range host.Mounts {
		declared[m.Target] = true
	}
	for _, m := range ins.Mounts {
		if m.Type == mount.TypeVolume && !declared[m.Destination] {
			host.Mounts = append(host.Mounts, mount.Mount{Type: mount.TypeVolume, Source: m.Name, Target: m.Destination, ReadOnly: !m.RW})
		}
	}
	s := &Spec{Name: trimSlash(ins.Name), Config: &cfg, Host: &host, Networks: map[string]*network.EndpointSettings{}, Primary: string(host.NetworkMode)}
	if ins.NetworkSettings != nil {
		for name, ep := range ins.NetworkSettings.Networks {
			if ep == nil {
				continue
			}
			var aliases []string
			for _, a := range ep.Aliases {
				if !strings.HasPrefix(ins.ID, a) { // the engine adds the short ID itself
					aliases = append(aliases, a)
				}
			}
			s.Networks[name] = &network.EndpointSettings{IPAMConfig: ep.IPAMConfig, Links: ep.Links, Aliases: aliases, DriverOpts: ep.DriverOpts}
		}
	}
	if s.Networks[s.Primary] == nil && s.Primary == "default" {
		s.Primary = "bridge"
	}
	return s, nil
}

// Describe is the plan of a replacement, for --dry-run.
func (s *Spec) Describe() string {
	nets := make([]string, 0, len(s.Networks))
	for n, ep := range s.Networks {
		if len(ep.Aliases) > 0 {
			n += " (aliases " + strings.Join(ep.Aliases, ", ") + ")"
		}
		nets = append(nets, n)
	}
	sort.Strings(nets)
	ports := make([]string, 0, len(s.Host.PortBindings))
	for p, bs := range s.Host.PortBindings {
		for _, b := range bs {
			ports = append(ports, fmt.Sprintf("%s:%s->%s", b.HostIP, b.HostPort, p))
		}
	}
	sort.Strings(ports)
	health := "none"
	if hc := s.Config.Healthcheck; hc != nil && len(hc.Test) > 0 && hc.Test[0] != "NONE" {
		health = strings.Join(hc.Test, " ")
	}
	return fmt.Sprintf("recreate container %s from image %s: command %q, %d env, %d labels, %d binds + %d mounts, networks [%s], ports [%s], restart %q, healthcheck %s",
		s.Name, s.Config.Image, append(append([]string(nil), s.Config.Entrypoint...), s.Config.Cmd...), len(s.Config.Env), len(s.Config.Labels),
		len(s.Host.Binds), len(s.Host.Mounts), strings.Join(nets, ", "), strings.Join(ports, ", "), s.Host.RestartPolicy.Name, health)
}
