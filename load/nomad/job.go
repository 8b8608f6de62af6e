package nomad

import (
	"strings"

	"github.com/immutcheck/immutcheck/model"
)

// Format is the model.File format name of Nomad inputs.
const Format = "nomad"

// job is a job spec read from either syntax.
type job struct {
	name, typ, namespace string
	loc                  model.Location
	update               *update
	groups               []group
}

// update is an update block.
type update struct {
	autoRevert *model.BoolSetting
	loc        model.Location
}

// group is a task group.
type group struct {
	name        string
	loc         model.Location
	update      *update
	hostNetwork *model.Setting
	ports       []port
	hostPaths   []model.HostPath
	checked     bool
	tasks       []task
}

// port is a group network port; label is what tasks refer to.
type port struct {
	label string
	port  model.Port
}

// task is a task of a group.
type task struct {
	name       string
	loc        model.Location
	driver     model.Setting
	image      *model.Artifact
	commands   []model.Command
	privileged *model.BoolSetting
	readOnly   *model.BoolSetting
	caps       []model.Setting
	namespaces []model.Setting
	portLabels []string
	hostPaths  []model.HostPath
	checked    bool
	hook       string
	sidecar    bool
}

// containerDrivers run a container image.
var containerDrivers = map[string]bool{"docker": true, "podman": true, "containerd-driver": true, "nerdctl": true}

// workloads turns the job into one workload per task group.
func (j *job) workloads() []*model.Workload {
	typ := j.typ
	if typ == "" {
		typ = "service"
	}
	var out []*model.Workload
	for _, g := range j.groups {
		w := &model.Workload{
			Source: Format, Kind: "TaskGroup", Namespace: j.namespace, Name: j.name + "." + g.name,
			Location: g.loc, Controlled: true, RunsToCompletion: typ == "batch" || typ == "sysbatch",
			HostPaths: g.hostPaths,
		}
		if g.hostNetwork != nil {
			w.HostNamespaces = append(w.HostNamespaces, *g.hostNetwork)
		}
		if typ == "service" {
			w.Rollback = rollback(g.update, j.update, g.loc)
		}
		for i := range g.tasks {
			w.Containers = append(w.Containers, g.tasks[i].container(g.checked, taskPorts(&g, i)))
			w.HostPaths = append(w.HostPaths, g.tasks[i].hostPaths...)
			w.HostNamespaces = append(w.HostNamespaces, g.tasks[i].namespaces...)
		}
		out = append(out, w)
	}
	return out
}

// rollback is the effective auto_revert: the group's update block, else the
// job's. A service job without one replaces all allocations with no
// automatic revert.
func rollback(g, j *update, at model.Location) *model.Rollback {
	u := g
	if u == nil {
		u = j
	}
	rb := &model.Rollback{Mechanism: "update.auto_revert", Location: at}
	if u == nil {
		return rb
	}
	rb.Location = u.loc
	if u.autoRevert != nil {
		rb.Location = u.autoRevert.Location
		rb.Automatic = u.autoRevert.Value
	}
	return rb
}

// container turns a task into a container of its group.
func (t *task) container(groupChecked bool, ports []model.Port) model.Container {
	c := model.Container{
		Name: t.name, Role: "container", Location: t.loc, Commands: t.commands,
		Privileged: t.privileged, ReadOnlyRoot: t.readOnly, AddedCapabilities: t.caps,
	}
	if t.hook != "" && !t.sidecar {
		c.Role = "hook"
	}
	if t.image != nil {
		c.Image = *t.image
	}
	if t.driver.Value == "raw_exec" {
		// raw_exec runs the command unisolated, as the client's user.
		c.Privileged = &model.BoolSetting{Value: true, Location: t.driver.Location}
	}
	if t.checked || groupChecked {
		c.Probes = append(c.Probes, "check")
	}
	c.Ports = ports
	return c
}

// taskPorts returns the group ports that task i uses: those it names in its
// config, and for the first task also those no task names (the group's
// network exposes them anyway).
func taskPorts(g *group, i int) []model.Port {
	var out []model.Port
	for _, p := range g.ports {
		named := false
		for _, t := range g.tasks {
			named = named || contains(t.portLabels, p.label)
		}
		if contains(g.tasks[i].portLabels, p.label) || (!named && i == 0) {
			out = append(out, p.port)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// volumeHostPath returns the host path of a docker "src:dst[:mode]" volume,
// or "" when the source is not an absolute host path (a relative source is
// inside the allocation directory, a name is a named volume).
func volumeHostPath(v string) string {
	src, _, ok := strings.Cut(v, ":")
	if !ok || !strings.HasPrefix(src, "/") {
		return ""
	}
	return src
}
