package nomad

import (
	"errors"

	"github.com/immutcheck/immutcheck/load/internal/jsontree"
	"github.com/immutcheck/immutcheck/model"
)

// jsonDecoder reads the API job format; field names follow the Nomad API's
// Job, TaskGroup and Task structs.
type jsonDecoder struct{ path string }

// loc returns the location of n, or the file when n is absent.
func (d jsonDecoder) loc(n *jsontree.Node) model.Location {
	if n == nil {
		return model.Location{File: d.path}
	}
	return model.Location{File: d.path, Line: n.Line}
}

// jsonJob decodes {"Job": {...}} or a bare job object.
func jsonJob(path string, data []byte) (*job, error) {
	root, err := jsontree.Parse(data, 0)
	if err != nil {
		return nil, err
	}
	jn := root
	if j := root.Get("Job"); j.Is(jsontree.Object) {
		jn = j
	}
	if !jn.Get("TaskGroups").Is(jsontree.Array) {
		return nil, errors.New("not a nomad job: no Job.TaskGroups array")
	}
	d := jsonDecoder{path: path}
	j := &job{loc: d.loc(jn)}
	j.name, _ = jn.Get("ID").Str()
	if j.name == "" {
		j.name, _ = jn.Get("Name").Str()
	}
	j.typ, _ = jn.Get("Type").Str()
	j.namespace, _ = jn.Get("Namespace").Str()
	j.update = d.update(jn.Get("Update"))
	for _, gn := range jn.Get("TaskGroups").Items() {
		j.groups = append(j.groups, d.group(gn))
	}
	return j, nil
}

// update reads an Update object; nil when absent or null.
func (d jsonDecoder) update(n *jsontree.Node) *update {
	if !n.Is(jsontree.Object) {
		return nil
	}
	u := &update{loc: d.loc(n)}
	if ar := n.Get("AutoRevert"); ar != nil && !ar.Is(jsontree.Null) {
		v, _ := ar.Bool()
		u.autoRevert = &model.BoolSetting{Value: v, Location: d.loc(ar)}
	}
	return u
}

// group reads a TaskGroup: Networks (mode and ports), Volumes, Services
// and Tasks.
func (d jsonDecoder) group(gn *jsontree.Node) group {
	g := group{loc: d.loc(gn), update: d.update(gn.Get("Update"))}
	g.name, _ = gn.Get("Name").Str()
	for _, nn := range gn.Get("Networks").Items() {
		if m, _ := nn.Get("Mode").Str(); m == "host" {
			g.hostNetwork = &model.Setting{Value: "network", Location: d.loc(nn.Get("Mode"))}
		}
		for _, list := range []string{"ReservedPorts", "DynamicPorts"} {
			for _, pn := range nn.Get(list).Items() {
				label, _ := pn.Get("Label").Str()
				for _, field := range []string{"Value", "To"} {
					if v, ok := pn.Get(field).Int(); ok && v > 0 {
						g.ports = append(g.ports, port{label: label, port: model.Port{Number: int(v), Location: d.loc(pn.Get(field))}})
					}
				}
			}
		}
	}
	if vols := gn.Get("Volumes"); vols.Is(jsontree.Object) {
		for i, name := range vols.Keys {
			v := vols.Values[i]
			if t, _ := v.Get("Type").Str(); t == "host" {
				src, _ := v.Get("Source").Str()
				g.hostPaths = append(g.hostPaths, model.HostPath{Name: name, Path: "host volume " + src, Location: d.loc(v)})
			}
		}
	}
	g.checked = jsonChecked(gn)
	for _, tn := range gn.Get("Tasks").Items() {
		g.tasks = append(g.tasks, d.task(tn))
	}
	return g
}

// jsonChecked reports whether one of the Services of n has a check.
func jsonChecked(n *jsontree.Node) bool {
	for _, s := range n.Get("Services").Items() {
		if len(s.Get("Checks").Items()) > 0 {
			return true
		}
	}
	return false
}

// task reads a Task. Config holds the driver's own settings with the
// driver's (lower-case) names, as in HCL.
func (d jsonDecoder) task(tn *jsontree.Node) task {
	t := task{loc: d.loc(tn), checked: jsonChecked(tn)}
	t.name, _ = tn.Get("Name").Str()
	t.driver.Value, _ = tn.Get("Driver").Str()
	t.driver.Location = d.loc(tn.Get("Driver"))
	t.hook, _ = tn.Get("Lifecycle").Get("Hook").Str()
	t.sidecar, _ = tn.Get("Lifecycle").Get("Sidecar").Bool()
	cfg := tn.Get("Config")
	if n := cfg.Get("image"); n != nil && containerDrivers[t.driver.Value] {
		ref, _ := n.Str()
		img := model.NewArtifact(ref, d.loc(n))
		t.image = &img
	}
	var argv []string
	at := cfg.Get("entrypoint")
	ep, _ := at.Strings()
	argv = append(argv, ep...)
	if c, ok := cfg.Get("command").Str(); ok {
		argv = append(argv, c)
		if at == nil {
			at = cfg.Get("command")
		}
	}
	args, _ := cfg.Get("args").Strings()
	argv = append(argv, args...)
	if at != nil && len(argv) > 0 {
		t.commands = []model.Command{{Args: argv, Context: "command", Location: d.loc(at)}}
	}
	t.privileged = d.boolSetting(cfg.Get("privileged"))
	if containerDrivers[t.driver.Value] {
		t.readOnly = d.boolSetting(cfg.Get("readonly_rootfs"))
	}
	for _, c := range cfg.Get("cap_add").Items() {
		if s, ok := c.Str(); ok {
			t.caps = append(t.caps, model.Setting{Value: s, Location: d.loc(c)})
		}
	}
	for field, ns := range map[string]string{"network_mode": "network", "pid_mode": "PID", "ipc_mode": "IPC"} {
		if v, _ := cfg.Get(field).Str(); v == "host" {
			t.namespaces = append(t.namespaces, model.Setting{Value: ns, Location: d.loc(cfg.Get(field))})
		}
	}
	t.portLabels, _ = cfg.Get("ports").Strings()
	for _, v := range cfg.Get("volumes").Items() {
		s, _ := v.Str()
		if p := volumeHostPath(s); p != "" {
			t.hostPaths = append(t.hostPaths, model.HostPath{Name: s, Path: p, Location: d.loc(v)})
		}
	}
	for _, list := range []string{"mount", "mounts"} {
		for _, m := range cfg.Get(list).Items() {
			typ, _ := m.Get("type").Str()
			src, _ := m.Get("source").Str()
			if (typ == "" || typ == "bind") && len(src) > 0 && src[0] == '/' {
				t.hostPaths = append(t.hostPaths, model.HostPath{Name: "mount", Path: src, Location: d.loc(m)})
			}
		}
	}
	return t
}

// boolSetting returns a boolean member with its location; nil when absent
// or null.
func (d jsonDecoder) boolSetting(n *jsontree.Node) *model.BoolSetting {
	if n == nil || n.Is(jsontree.Null) {
		return nil
	}
	v, _ := n.Bool()
	return &model.BoolSetting{Value: v, Location: d.loc(n)}
}
