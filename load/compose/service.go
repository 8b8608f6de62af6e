package compose

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/format"
	"github.com/compose-spec/compose-go/v2/template"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v4"

	"github.com/immutcheck/immutcheck/model"
)

// workload converts one loaded service. Values come from compose-go (after
// extends, merge and interpolation); positions from the index, falling back
// to the service key for what the service inherits.
func workload(ix *index, env template.Mapping, s types.ServiceConfig) *model.Workload {
	name := s.Name
	loc := ix.serviceLoc(name)
	c := model.Container{Name: name, Role: "container", Location: loc, PullPolicy: s.PullPolicy}
	if s.Image != "" || ix.scalar(name, "image") != nil {
		ref, iloc := s.Image, ix.fieldLoc(name, "image")
		// Written in this file: interpolate it again keeping unset
		// variables, in case compose-go's load left them empty.
		if v := ix.scalar(name, "image"); v != nil {
			iloc = ix.loc(v)
			if r, err := substitute(v.Value, env); err == nil {
				ref = r
			}
		}
		c.Image = model.NewArtifact(ref, iloc)
	}
	c.Commands = append(c.Commands, command(ix, env, name, "entrypoint", s.Entrypoint)...)
	c.Commands = append(c.Commands, command(ix, env, name, "command", s.Command)...)
	for _, h := range s.PostStart {
		c.Commands = append(c.Commands, model.Command{Args: h.Command, Context: "post_start", Location: ix.fieldLoc(name, "post_start")})
	}
	if hc := s.HealthCheck; hc != nil {
		switch {
		case hc.Disable || (len(hc.Test) > 0 && hc.Test[0] == "NONE"):
			c.ProbesDisabled = true
		case len(hc.Test) > 0:
			c.Probes = []string{"healthcheck"}
		}
	}
	if declares(ix, name, "read_only") || s.ReadOnly {
		c.ReadOnlyRoot = &model.BoolSetting{Value: s.ReadOnly, Location: ix.fieldLoc(name, "read_only")}
	}
	if declares(ix, name, "privileged") || s.Privileged {
		c.Privileged = &model.BoolSetting{Value: s.Privileged, Location: ix.fieldLoc(name, "privileged")}
	}
	for _, capName := range s.CapAdd {
		c.AddedCapabilities = append(c.AddedCapabilities, model.Setting{Value: capName, Location: capLoc(ix, name, capName)})
	}
	c.Ports = append(ports(ix, env, name, s.Ports), exposed(ix, name, s.Expose)...)
	w := &model.Workload{
		Source:     Format,
		Kind:       "service",
		Name:       name,
		Location:   loc,
		Controlled: true,
		Containers: []model.Container{c},
		HostPaths:  hostPaths(ix, env, name, s.Volumes),
	}
	for _, ns := range []struct{ key, value, name string }{
		{"pid", s.Pid, "PID"}, {"network_mode", s.NetworkMode, "network"}, {"net", s.Net, "network"}, {"ipc", s.Ipc, "IPC"},
	} {
		if ns.value == "host" {
			w.HostNamespaces = append(w.HostNamespaces, model.Setting{Value: ns.name, Location: ix.fieldLoc(name, ns.key)})
		}
	}
	return w
}

// declares reports whether the service declares key itself.
func declares(ix *index, name, key string) bool {
	if s := ix.services[name]; s != nil {
		_, ok := s.fields[key]
		return ok
	}
	return false
}

// command converts command or entrypoint. Written as a string in this
// file, it is kept as that string (interpolated) in Shell; as a list, or
// inherited, it is compose-go's argument list.
func command(ix *index, env template.Mapping, name, key string, args types.ShellCommand) []model.Command {
	if args == nil {
		return nil
	}
	cmd := model.Command{Context: key, Location: ix.fieldLoc(name, key)}
	if v := ix.scalar(name, key); v != nil {
		if s, err := substitute(v.Value, env); err == nil {
			cmd.Shell = s
			return []model.Command{cmd}
		}
	}
	cmd.Args = append([]string(nil), args...)
	return []model.Command{cmd}
}

// capLoc finds the item of the cap_add list that adds capName.
func capLoc(ix *index, name, capName string) model.Location {
	for _, item := range ix.items(name, "cap_add") {
		if item.Kind == yaml.ScalarNode && strings.EqualFold(item.Value, capName) {
			return ix.loc(item)
		}
	}
	return ix.fieldLoc(name, "cap_add")
}

// hostPaths lists bind mounts: volumes whose source is a path of the host.
func hostPaths(ix *index, env template.Mapping, name string, vols []types.ServiceVolumeConfig) []model.HostPath {
	var out []model.HostPath
	var locs map[string]model.Location
	for _, v := range vols {
		if v.Type != types.VolumeTypeBind {
			continue
		}
		if locs == nil {
			locs = volumeLocs(ix, env, name)
		}
		loc, ok := locs[v.Target]
		if !ok {
			loc = ix.fieldLoc(name, "volumes")
		}
		out = append(out, model.HostPath{Name: v.Target, Path: v.Source, Location: loc})
	}
	return out
}

// volumeLocs maps each mount target of the volumes list of a service to the
// item that declares it.
func volumeLocs(ix *index, env template.Mapping, name string) map[string]model.Location {
	locs := map[string]model.Location{}
	for _, item := range ix.items(name, "volumes") {
		target := ""
		switch item.Kind {
		case yaml.ScalarNode:
			spec, err := substitute(item.Value, env)
			if err != nil {
				continue
			}
			if v, err := format.ParseVolume(spec); err == nil {
				target = v.Target
			}
		case yaml.MappingNode:
			target = scalarValue(item, "target")
		}
		if _, ok := locs[target]; !ok && target != "" {
			locs[target] = ix.loc(item)
		}
	}
	return locs
}

// scalarValue is the value of key in mapping m, or "".
func scalarValue(m *yaml.Node, key string) string {
	if v := mappingValue(m, key); v != nil && v.Kind == yaml.ScalarNode {
		return v.Value
	}
	return ""
}
