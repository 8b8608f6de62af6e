package ecs

import (
	"fmt"
	"strings"

	"github.com/immutcheck/immutcheck/load/internal/jsontree"
	"github.com/immutcheck/immutcheck/model"
)

// taskDefinition decodes a task definition object.
func (d *decoder) taskDefinition(td *jsontree.Node) {
	family, _ := td.Get("family").Str()
	name := family
	if rev, ok := td.Get("revision").Int(); ok {
		name = fmt.Sprintf("%s:%d", family, rev)
	}
	w := &model.Workload{Source: Format, Kind: "TaskDefinition", Name: name, Location: d.loc(td), Controlled: true}
	d.unknown(td, taskFields, "task definition", w.Subject())
	for field, ns := range map[string]string{"networkMode": "network", "pidMode": "PID", "ipcMode": "IPC"} {
		if v, _ := td.Get(field).Str(); v == "host" {
			w.HostNamespaces = append(w.HostNamespaces, model.Setting{Value: ns, Location: d.loc(td.Get(field))})
		}
	}
	for _, v := range td.Get("volumes").Items() {
		if p, ok := v.Get("host").Get("sourcePath").Str(); ok && p != "" {
			vn, _ := v.Get("name").Str()
			w.HostPaths = append(w.HostPaths, model.HostPath{Name: vn, Path: p, Location: d.loc(v.Get("host").Get("sourcePath"))})
		}
	}
	defs := td.Get("containerDefinitions")
	if !defs.Is(jsontree.Array) {
		d.problem(model.Rejected, defs, w.Subject(), fmt.Errorf("containerDefinitions must be an array"))
		return
	}
	for _, cd := range defs.Items() {
		if !cd.Is(jsontree.Object) {
			d.problem(model.Rejected, cd, w.Subject(), fmt.Errorf("container definition must be an object"))
			continue
		}
		w.Containers = append(w.Containers, d.container(w, cd))
	}
	d.f.Workloads = append(d.f.Workloads, w)
}

// container decodes one container definition.
func (d *decoder) container(w *model.Workload, cd *jsontree.Node) model.Container {
	name, _ := cd.Get("name").Str()
	c := model.Container{Name: name, Role: "container", Location: d.loc(cd)}
	subject := c.Subject(w)
	d.unknown(cd, containerFields, "container definition", subject)
	if img := cd.Get("image"); img != nil {
		ref, ok := img.Str()
		if !ok {
			d.problem(model.Rejected, img, subject, fmt.Errorf("image must be a string"))
		}
		c.Image = model.NewArtifact(ref, d.loc(img))
	}
	c.ReadOnlyRoot = d.boolSetting(cd.Get("readonlyRootFilesystem"), subject, "readonlyRootFilesystem")
	c.Privileged = d.boolSetting(cd.Get("privileged"), subject, "privileged")
	for _, capn := range cd.Get("linuxParameters").Get("capabilities").Get("add").Items() {
		if s, ok := capn.Str(); ok {
			c.AddedCapabilities = append(c.AddedCapabilities, model.Setting{Value: s, Location: d.loc(capn)})
		}
	}
	for _, pm := range cd.Get("portMappings").Items() {
		proto, _ := pm.Get("protocol").Str()
		// The host port matters too (awsvpc and host modes make them
		// equal; bridge mode may map another container port to 22).
		cp, hasCP := pm.Get("containerPort").Int()
		if hasCP {
			c.Ports = append(c.Ports, model.Port{Number: int(cp), Protocol: strings.ToLower(proto), Location: d.loc(pm.Get("containerPort"))})
		}
		if hp, ok := pm.Get("hostPort").Int(); ok && (!hasCP || hp != cp) {
			c.Ports = append(c.Ports, model.Port{Number: int(hp), Protocol: strings.ToLower(proto), Location: d.loc(pm.Get("hostPort"))})
		}
	}
	if cd.Get("healthCheck").Is(jsontree.Object) {
		c.Probes = append(c.Probes, "healthcheck")
	}
	c.Commands = d.commands(cd, subject)
	return c
}

// commands joins entryPoint and command into the argv the container runs,
// as Docker does.
func (d *decoder) commands(cd *jsontree.Node, subject string) []model.Command {
	var argv []string
	var at *jsontree.Node
	for _, field := range []string{"entryPoint", "command"} {
		n := cd.Get(field)
		if n == nil || n.Kind == jsontree.Null {
			continue
		}
		words, ok := n.Strings()
		if !ok || !n.Is(jsontree.Array) {
			d.problem(model.Rejected, n, subject, fmt.Errorf("%s must be an array of strings", field))
			continue
		}
		argv = append(argv, words...)
		if at == nil {
			at = n
		}
	}
	if len(argv) == 0 {
		return nil
	}
	return []model.Command{{Args: argv, Context: "entryPoint/command", Location: d.loc(at)}}
}
