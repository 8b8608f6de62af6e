package nomad

import (
	"errors"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/immutcheck/immutcheck/load/internal/hclread"
	"github.com/immutcheck/immutcheck/model"
)

// hclJobs decodes the job blocks of an HCL2 job file.
func hclJobs(path string, data []byte) ([]*job, error) {
	body, err := hclread.Parse(path, data)
	if err != nil {
		return nil, err
	}
	e := hclread.NewEvaluator(path, data, body)
	var jobs []*job
	for _, jb := range hclread.Blocks(body, "job") {
		jobs = append(jobs, hclJob(e, jb))
	}
	if len(jobs) == 0 {
		return nil, errors.New("no job block")
	}
	return jobs, nil
}

// hclJob reads a job block: its type and namespace, its update block (the
// default for every group) and its groups.
func hclJob(e *hclread.Evaluator, b *hclsyntax.Block) *job {
	j := &job{name: hclread.Label(b, 0), loc: e.Loc(b.DefRange())}
	j.typ, _ = e.String(hclread.Attr(b.Body, "type"))
	j.namespace, _ = e.String(hclread.Attr(b.Body, "namespace"))
	j.update = hclUpdate(e, hclread.Block(b.Body, "update"))
	for _, gb := range hclread.Blocks(b.Body, "group") {
		j.groups = append(j.groups, hclGroup(e, gb))
	}
	// A task directly in the job is a group of one named after the task,
	// as Nomad's parser reads it.
	for _, tb := range hclread.Blocks(b.Body, "task") {
		j.groups = append(j.groups, group{name: hclread.Label(tb, 0), loc: e.Loc(tb.DefRange()), tasks: []task{hclTask(e, tb)}})
	}
	return j
}

// hclUpdate reads an update block; nil when there is none. auto_revert is
// kept with its location whether it is true or false.
func hclUpdate(e *hclread.Evaluator, b *hclsyntax.Block) *update {
	if b == nil {
		return nil
	}
	u := &update{loc: e.Loc(b.DefRange())}
	if a := hclread.Attr(b.Body, "auto_revert"); a != nil {
		v, _ := e.Bool(a)
		u.autoRevert = &model.BoolSetting{Value: v, Location: e.Loc(a.SrcRange)}
	}
	return u
}

// hclGroup reads a group block: host networking and the ports its network
// publishes, host volumes, service checks and its tasks.
func hclGroup(e *hclread.Evaluator, b *hclsyntax.Block) group {
	g := group{name: hclread.Label(b, 0), loc: e.Loc(b.DefRange())}
	g.update = hclUpdate(e, hclread.Block(b.Body, "update"))
	for _, nb := range hclread.Blocks(b.Body, "network") {
		if a := hclread.Attr(nb.Body, "mode"); a != nil {
			if m, _ := e.String(a); m == "host" {
				g.hostNetwork = &model.Setting{Value: "network", Location: e.Loc(a.SrcRange)}
			}
		}
		for _, pb := range hclread.Blocks(nb.Body, "port") {
			for _, field := range []string{"static", "to"} {
				if a := hclread.Attr(pb.Body, field); a != nil {
					if n, ok := e.Int(a); ok {
						g.ports = append(g.ports, port{label: hclread.Label(pb, 0), port: model.Port{Number: int(n), Location: e.Loc(a.SrcRange)}})
					}
				}
			}
		}
	}
	for _, vb := range hclread.Blocks(b.Body, "volume") {
		if t, _ := e.String(hclread.Attr(vb.Body, "type")); t == "host" {
			src, _ := e.String(hclread.Attr(vb.Body, "source"))
			g.hostPaths = append(g.hostPaths, model.HostPath{Name: hclread.Label(vb, 0), Path: "host volume " + src, Location: e.Loc(vb.DefRange())})
		}
	}
	g.checked = hclChecked(b.Body)
	for _, tb := range hclread.Blocks(b.Body, "task") {
		g.tasks = append(g.tasks, hclTask(e, tb))
	}
	return g
}

// hclChecked reports whether a service block of body declares a check.
func hclChecked(body *hclsyntax.Body) bool {
	for _, sb := range hclread.Blocks(body, "service") {
		if len(hclread.Blocks(sb.Body, "check")) > 0 {
			return true
		}
	}
	return false
}

// hclTask reads a task block. Image, readonly_rootfs and the host settings
// of config are read for container drivers only; command, args and
// privileged for every driver (raw_exec and exec take a command too).
func hclTask(e *hclread.Evaluator, b *hclsyntax.Block) task {
	t := task{name: hclread.Label(b, 0), loc: e.Loc(b.DefRange()), checked: hclChecked(b.Body)}
	if a := hclread.Attr(b.Body, "driver"); a != nil {
		t.driver.Value, _ = e.String(a)
		t.driver.Location = e.Loc(a.SrcRange)
	}
	if lb := hclread.Block(b.Body, "lifecycle"); lb != nil {
		t.hook, _ = e.String(hclread.Attr(lb.Body, "hook"))
		t.sidecar, _ = e.Bool(hclread.Attr(lb.Body, "sidecar"))
	}
	cfg := hclread.Block(b.Body, "config")
	if cfg == nil {
		return t
	}
	cb := cfg.Body
	if a := hclread.Attr(cb, "image"); a != nil && containerDrivers[t.driver.Value] {
		ref, _ := e.String(a)
		img := model.NewArtifact(ref, e.Loc(a.SrcRange))
		t.image = &img
	}
	t.commands = hclCommands(e, cb)
	t.privileged = boolSetting(e, hclread.Attr(cb, "privileged"))
	if containerDrivers[t.driver.Value] {
		t.readOnly = boolSetting(e, hclread.Attr(cb, "readonly_rootfs"))
	}
	if a := hclread.Attr(cb, "cap_add"); a != nil {
		caps, _ := e.Strings(a)
		for _, c := range caps {
			t.caps = append(t.caps, model.Setting{Value: c, Location: e.Loc(a.SrcRange)})
		}
	}
	for field, ns := range map[string]string{"network_mode": "network", "pid_mode": "PID", "ipc_mode": "IPC"} {
		if a := hclread.Attr(cb, field); a != nil {
			if v, _ := e.String(a); v == "host" {
				t.namespaces = append(t.namespaces, model.Setting{Value: ns, Location: e.Loc(a.SrcRange)})
			}
		}
	}
	t.portLabels, _ = e.Strings(hclread.Attr(cb, "ports"))
	if a := hclread.Attr(cb, "volumes"); a != nil {
		vols, _ := e.Strings(a)
		for _, v := range vols {
			if p := volumeHostPath(v); p != "" {
				t.hostPaths = append(t.hostPaths, model.HostPath{Name: v, Path: p, Location: e.Loc(a.SrcRange)})
			}
		}
	}
	for _, mb := range hclread.Blocks(cb, "mount") {
		typ, _ := e.String(hclread.Attr(mb.Body, "type"))
		src, _ := e.String(hclread.Attr(mb.Body, "source"))
		if (typ == "" || typ == "bind") && len(src) > 0 && src[0] == '/' {
			t.hostPaths = append(t.hostPaths, model.HostPath{Name: "mount", Path: src, Location: e.Loc(mb.DefRange())})
		}
	}
	return t
}

// hclCommands returns what a task runs: entrypoint, command and args.
func hclCommands(e *hclread.Evaluator, cb *hclsyntax.Body) []model.Command {
	var argv []string
	var at *hclsyntax.Attribute
	if a := hclread.Attr(cb, "entrypoint"); a != nil {
		ep, _ := e.Strings(a)
		argv, at = append(argv, ep...), a
	}
	if a := hclread.Attr(cb, "command"); a != nil {
		c, _ := e.String(a)
		argv = append(argv, c)
		if at == nil {
			at = a
		}
	}
	if a := hclread.Attr(cb, "args"); a != nil {
		args, _ := e.Strings(a)
		argv = append(argv, args...)
	}
	if at == nil || len(argv) == 0 {
		return nil
	}
	return []model.Command{{Args: argv, Context: "command", Location: e.Loc(at.SrcRange)}}
}

// boolSetting returns a boolean attribute with its location; nil when the
// attribute is absent. A value that cannot be evaluated counts as false.
func boolSetting(e *hclread.Evaluator, a *hclsyntax.Attribute) *model.BoolSetting {
	if a == nil {
		return nil
	}
	v, _ := e.Bool(a)
	return &model.BoolSetting{Value: v, Location: e.Loc(a.SrcRange)}
}
