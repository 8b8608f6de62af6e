package cloudformation

import (
	"strings"

	"github.com/immutcheck/immutcheck/load/internal/tfres"
	"github.com/immutcheck/immutcheck/model"
)

// ecsWorkload adds AWS::ECS::TaskDefinition and AWS::ECS::Service
// resources as workloads, so that the container and rollback rules judge
// them as they judge ECS JSON definitions. The properties are the ECS API's
// fields in PascalCase. A value given by an intrinsic function (!Ref,
// !Sub with a parameter) is kept as written: an image becomes unverifiable,
// a boolean counts as not set.
func ecsWorkload(f *model.File, typ, name string, o *tfres.Obj) {
	props := o.Block("Properties")
	if props == nil {
		return
	}
	switch typ {
	case "AWS::ECS::TaskDefinition":
		f.Workloads = append(f.Workloads, ecsTask(name, o.Loc, props))
	case "AWS::ECS::Service":
		f.Workloads = append(f.Workloads, ecsService(name, o.Loc, props))
	}
}

func ecsTask(name string, loc model.Location, props *tfres.Obj) *model.Workload {
	w := &model.Workload{Source: "ecs", Kind: "TaskDefinition", Name: name, Location: loc, Controlled: true}
	for field, ns := range map[string]string{"NetworkMode": "network", "PidMode": "PID", "IpcMode": "IPC"} {
		if v, _ := props.Str(field); v == "host" {
			w.HostNamespaces = append(w.HostNamespaces, model.Setting{Value: ns, Location: props.LocOf(field)})
		}
	}
	for _, v := range props.Blocks("Volumes") {
		if h := v.Block("Host"); h != nil {
			if p, ok := h.Str("SourcePath"); ok && p != "" {
				vn, _ := v.Str("Name")
				w.HostPaths = append(w.HostPaths, model.HostPath{Name: vn, Path: p, Location: h.LocOf("SourcePath")})
			}
		}
	}
	for _, cd := range props.Blocks("ContainerDefinitions") {
		w.Containers = append(w.Containers, ecsContainer(cd))
	}
	return w
}

func ecsContainer(cd *tfres.Obj) model.Container {
	name, _ := cd.Str("Name")
	c := model.Container{Name: name, Role: "container", Location: cd.Loc}
	if img, ok := cd.Str("Image"); ok {
		c.Image = model.NewArtifact(img, cd.LocOf("Image"))
	}
	c.ReadOnlyRoot = boolSetting(cd, "ReadonlyRootFilesystem")
	c.Privileged = boolSetting(cd, "Privileged")
	if lp := cd.Block("LinuxParameters"); lp != nil {
		if caps := lp.Block("Capabilities"); caps != nil {
			for _, s := range caps.Strings("Add") {
				c.AddedCapabilities = append(c.AddedCapabilities, model.Setting{Value: s, Location: caps.LocOf("Add")})
			}
		}
	}
	for _, pm := range cd.Blocks("PortMappings") {
		proto, _ := pm.Str("Protocol")
		cp, hasCP := pm.Int("ContainerPort")
		if hasCP {
			c.Ports = append(c.Ports, model.Port{Number: cp, Protocol: strings.ToLower(proto), Location: pm.LocOf("ContainerPort")})
		}
		if hp, ok := pm.Int("HostPort"); ok && (!hasCP || hp != cp) {
			c.Ports = append(c.Ports, model.Port{Number: hp, Protocol: strings.ToLower(proto), Location: pm.LocOf("HostPort")})
		}
	}
	if cd.Block("HealthCheck") != nil {
		c.Probes = append(c.Probes, "healthcheck")
	}
	argv := append(cd.Strings("EntryPoint"), cd.Strings("Command")...)
	if len(argv) > 0 {
		at := "EntryPoint"
		if !cd.Has(at) {
			at = "Command"
		}
		c.Commands = []model.Command{{Args: argv, Context: "EntryPoint/Command", Location: cd.LocOf(at)}}
	}
	return c
}

// ecsService reads the rollback setting of a service: the deployment
// circuit breaker, unless another controller (CODE_DEPLOY, EXTERNAL) rolls
// deployments out.
func ecsService(name string, loc model.Location, props *tfres.Obj) *model.Workload {
	w := &model.Workload{Source: "ecs", Kind: "Service", Name: name, Location: loc, Controlled: true}
	if dc := props.Block("DeploymentController"); dc != nil {
		if t, _ := dc.Str("Type"); t != "" && t != "ECS" {
			return w
		}
	}
	rb := &model.Rollback{Mechanism: "DeploymentCircuitBreaker.Rollback", Location: loc}
	if dc := props.Block("DeploymentConfiguration"); dc != nil {
		rb.Location = dc.Loc
		if cb := dc.Block("DeploymentCircuitBreaker"); cb != nil {
			rb.Location = cb.Loc
			enable, _ := cb.Bool("Enable")
			rollback, ok := cb.Bool("Rollback")
			if ok {
				rb.Location = cb.LocOf("Rollback")
			}
			rb.Automatic = enable && rollback
		}
	}
	w.Rollback = rb
	return w
}

// boolSetting returns a constant boolean property with its location, or
// nil when it is absent or not a constant.
func boolSetting(o *tfres.Obj, name string) *model.BoolSetting {
	v, ok := o.Bool(name)
	if !ok {
		return nil
	}
	return &model.BoolSetting{Value: v, Location: o.LocOf(name)}
}
