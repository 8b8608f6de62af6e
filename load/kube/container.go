package kube

import (
	"slices"
	"strings"

	"github.com/immutcheck/immutcheck/model"
	corev1 "k8s.io/api/core/v1"
)

// container maps one container declared at p.
func container(c *corev1.Container, role string, p pos) model.Container {
	m := model.Container{
		Name:       c.Name,
		Role:       role,
		Location:   p.loc(),
		Image:      model.NewArtifact(c.Image, p.get("image").loc()),
		PullPolicy: string(c.ImagePullPolicy),
	}
	if len(c.Command) > 0 || len(c.Args) > 0 {
		cmd := model.Command{Args: slices.Concat(c.Command, c.Args), Context: "command", Location: p.get("command").keyLoc()}
		if len(c.Command) == 0 {
			cmd.Context, cmd.Location = "args", p.get("args").keyLoc()
		}
		m.Commands = append(m.Commands, cmd)
	}
	if lc := c.Lifecycle; lc != nil {
		lp := p.get("lifecycle")
		m.Commands = appendHook(m.Commands, lc.PostStart, "postStart", lp.get("postStart"))
		m.Commands = appendHook(m.Commands, lc.PreStop, "preStop", lp.get("preStop"))
	}
	if sc := c.SecurityContext; sc != nil {
		sp := p.get("securityContext")
		if sc.ReadOnlyRootFilesystem != nil {
			m.ReadOnlyRoot = &model.BoolSetting{Value: *sc.ReadOnlyRootFilesystem, Location: sp.get("readOnlyRootFilesystem").loc()}
		}
		if sc.Privileged != nil {
			m.Privileged = &model.BoolSetting{Value: *sc.Privileged, Location: sp.get("privileged").loc()}
		}
		if sc.Capabilities != nil {
			add := sp.get("capabilities").get("add")
			for i, cp := range sc.Capabilities.Add {
				m.AddedCapabilities = append(m.AddedCapabilities, model.Setting{Value: string(cp), Location: add.at(i).loc()})
			}
		}
	}
	ports := p.get("ports")
	for i, port := range c.Ports {
		m.Ports = append(m.Ports, model.Port{
			Number:   int(port.ContainerPort),
			Protocol: strings.ToLower(string(port.Protocol)),
			Location: ports.at(i).get("containerPort").loc(),
		})
	}
	for _, pr := range []struct {
		probe *corev1.Probe
		name  string
	}{{c.ReadinessProbe, "readiness"}, {c.LivenessProbe, "liveness"}, {c.StartupProbe, "startup"}} {
		if pr.probe != nil {
			m.Probes = append(m.Probes, pr.name)
		}
	}
	return m
}

// appendHook adds the exec command of a lifecycle hook.
func appendHook(cmds []model.Command, h *corev1.LifecycleHandler, name string, p pos) []model.Command {
	if h == nil || h.Exec == nil || len(h.Exec.Command) == 0 {
		return cmds
	}
	return append(cmds, model.Command{Args: h.Exec.Command, Context: name, Location: p.get("exec").get("command").keyLoc()})
}
